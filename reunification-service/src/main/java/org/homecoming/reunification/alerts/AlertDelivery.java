package org.homecoming.reunification.alerts;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertChannel;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Relative;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.platform.retry.RetryPolicy;
import org.homecoming.reunification.alerts.AlertTemplates.Message;
import org.homecoming.reunification.contactkeys.ContactSeal;
import org.homecoming.reunification.inquiries.ContactChannel;
import org.homecoming.reunification.inquiries.InquiryLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Delivers each alert to the relative, effectively once:
 * <ol>
 *   <li>an alert already DELIVERED (the ledger, rebuilt from {@code reunification.alert-deliveries}) is skipped;</li>
 *   <li>the contact is looked up in the inquiry and opened; a withdrawn or erased inquiry gets nothing (the outcome
 *       is recorded);</li>
 *   <li>the text is rendered in the relative's language and sent, with bounded retries and back-off; every attempt is
 *       recorded, synchronously, before the container commits the alert's offset;</li>
 *   <li>after the last failed attempt the alert goes to {@code reunification.alerts-dlt} and is counted.</li>
 * </ol>
 * Logs carry alert and inquiry ids, never a name, address or number.
 */
@Component
public class AlertDelivery {

    private static final Logger log = LoggerFactory.getLogger(AlertDelivery.class);
    public static final String ID = "reunification-delivery";
    static final String WITHDRAWN = "inquiry withdrawn: not delivered";
    static final String ERASED = "contact data erased: not delivered";

    private final DeliveryLedger ledger;
    private final InquiryLookup inquiries;
    private final AlertTemplates templates;
    private final EmailChannel email;
    private final SmsChannel sms;
    private final DeadLetters deadLetters;
    private final MeterRegistry meters;
    private final Clock clock;
    private final RetryPolicy retries;
    private final ContactSeal contacts;

    AlertDelivery(DeliveryLedger ledger, InquiryLookup inquiries, AlertTemplates templates, EmailChannel email, SmsChannel sms,
                  DeadLetters deadLetters, MeterRegistry meters, Clock clock,
                  @Value("${reunification.delivery.max-attempts:3}") int maxAttempts,
                  @Value("${reunification.delivery.back-off:500ms}") Duration backOff, ContactSeal contacts) {
        this.ledger = ledger;
        this.inquiries = inquiries;
        this.templates = templates;
        this.email = email;
        this.sms = sms;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.clock = clock;
        this.retries = new RetryPolicy(maxAttempts, backOff);
        this.contacts = contacts;
    }

    public String topic() {
        return Topics.ALERTS.name();
    }

    @KafkaListener(id = ID, groupId = "${reunification.delivery.group-id}", topics = "#{__listener.topic()}",
            containerFactory = "deliveryContainerFactory", autoStartup = "false")
    public void on(ConsumerRecord<String, AlertIssued> record) {
        AlertIssued alert = record.value();
        if (alert == null || ledger.isDelivered(alert.getAlertId())) {
            if (alert != null) {
                log.info("Alert {} of inquiry {} was delivered before; not sent again", alert.getAlertId(), alert.getInquiryId());
            }
            return;
        }
        Optional<InquiryRegistered> inquiry = inquiries.find(alert.getInquiryId());
        if (inquiry.isEmpty() || inquiries.isWithdrawn(alert.getInquiryId())) {
            ledger.record(attempt(alert, 0, alert.getChannel(), DeliveryOutcome.FAILED, WITHDRAWN));
            count(alert.getChannel(), "withdrawn");
            log.info("Alert {} not delivered: inquiry {} is withdrawn", alert.getAlertId(), alert.getInquiryId());
            return;
        }
        Optional<InquiryRegistered> readable = contacts.open(inquiry.get());
        if (readable.isEmpty()) {
            ledger.record(attempt(alert, 0, alert.getChannel(), DeliveryOutcome.FAILED, ERASED));
            count(alert.getChannel(), "erased");
            log.info("Alert {} not delivered: the contact data of inquiry {} was erased", alert.getAlertId(), alert.getInquiryId());
            return;
        }
        Relative relative = readable.get().getRelative();
        AlertChannel channel = ContactChannel.of(relative); // the contact now, which may have changed since the alert
        Message message = templates.render(alert.getMilestone(), alert.getLanguage(), alert.getInquiryId(), alert.getFacility());
        String failure = null;
        for (int attempt = 1; attempt <= retries.attempts(); attempt++) {
            try {
                if (channel == AlertChannel.EMAIL) {
                    email.send(alert.getAlertId(), relative.getEmail(), message.subject(),
                            templates.emailBody(message, alert.getLanguage(), alert.getInquiryId()));
                } else {
                    sms.send(relative.getPhone(), message.text());
                }
                ledger.record(attempt(alert, attempt, channel, DeliveryOutcome.DELIVERED, null));
                count(channel, "delivered");
                log.info("Alert {} of inquiry {} delivered by {} (attempt {})", alert.getAlertId(), alert.getInquiryId(), channel, attempt);
                return;
            } catch (DeliveryFailure e) {
                failure = e.getMessage();
                boolean last = retries.isLast(attempt);
                ledger.record(attempt(alert, attempt, channel, last ? DeliveryOutcome.FAILED : DeliveryOutcome.RETRYING, failure));
                count(channel, last ? "failed" : "retrying");
                log.warn("Alert {} of inquiry {}: attempt {} of {} by {} failed: {}", alert.getAlertId(), alert.getInquiryId(),
                        attempt, retries.attempts(), channel, failure);
                if (!last) {
                    pause(retries.pauseAfter(attempt));
                }
            }
        }
        deadLetters.accept(record, new DeliveryFailure("not delivered after " + retries.attempts() + " attempts: " + failure));
        Counter.builder(MetricNames.ALERTS_DEAD_LETTERED).description("Alerts that could not be delivered; they are on reunification.alerts-dlt")
                .register(meters).increment();
    }

    private AlertDeliveryAttempted attempt(AlertIssued alert, int attempt, AlertChannel channel, DeliveryOutcome outcome, String reason) {
        return AlertDeliveryAttempted.newBuilder()
                .setAlertId(alert.getAlertId())
                .setInquiryId(alert.getInquiryId())
                .setAttempt(attempt)
                .setChannel(channel)
                .setOutcome(outcome)
                .setFailureReason(reason)
                .setAttemptedAt(clock.instant())
                .build();
    }

    private void count(AlertChannel channel, String outcome) {
        Counter.builder(MetricNames.ALERT_DELIVERIES).description("Alert delivery attempts by outcome")
                .tag("channel", channel.name().toLowerCase(Locale.ROOT)).tag("outcome", outcome).register(meters).increment();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
