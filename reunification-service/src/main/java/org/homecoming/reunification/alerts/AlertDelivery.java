package org.homecoming.reunification.alerts;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertChannel;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.events.reunification.Relative;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.deadletter.Outage;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.platform.retry.RetryPolicy;
import org.homecoming.reunification.alerts.AlertTemplates.Message;
import org.homecoming.reunification.contactkeys.ContactSeal;
import org.homecoming.reunification.inquiries.ContactChannel;
import org.homecoming.reunification.inquiries.InquiryLookup;
import org.homecoming.reunification.inquiries.InquiryReads;
import org.homecoming.reunification.pairing.AlertRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Delivers each alert to the relative, effectively once, in one lane per channel:
 * <ol>
 *   <li>each channel's alerts are read by a consumer group of their own ({@link #EMAIL_LANE}, {@link #SMS_LANE}): both
 *       groups read every alert, and each takes the alerts issued for its channel and passes over the rest. An alert
 *       waits in order behind an earlier one of its own lane only, so an SMS gateway that is down holds up no e-mail,
 *       and a mail server that is down holds up no SMS (before, one group read them all, and an SMS gateway outage
 *       on exchange day kept every family behind it on the partition waiting, whatever their channel). Each alert is
 *       its alert's channel's, fixed when it was issued, so exactly one lane delivers it, over the relative's channel
 *       as the inquiry gives it now;</li>
 *   <li>an alert already DELIVERED (the ledger, rebuilt from {@code reunification.alert-deliveries}) is skipped;</li>
 *   <li>the contact is looked up in the inquiry and opened; a withdrawn or erased inquiry gets nothing, nor does an
 *       alert whose match fell since it was issued (rejected, retracted, back in review: {@link MatchStandings}), nor
 *       one whose inquiry and person already had a later milestone go out ({@link #SUPERSEDED}); the outcome is
 *       recorded;</li>
 *   <li>news that already went, or may have, to the same address through another inquiry, over whichever channel (the
 *       same person and milestone: a family that registered twice is one family) is withheld and recorded with the
 *       inquiry it went through ({@link #toldThrough}); news being sent there right now, or two instances (or an
 *       operator's resend and a lane) claiming it at once: each records SENDING, and the claim first on the news's
 *       partition goes out ({@link DeliveryLedger#firstClaim});</li>
 *   <li>the text is rendered in the relative's language; each attempt is recorded as SENDING (committed, with the
 *       Message-ID) before the message leaves, and its outcome after, before the container commits the alert's
 *       offset; failures are retried a bounded number of times;</li>
 *   <li>when the channel itself is away (the mail server or SMS gateway takes no message: {@link ChannelUnavailable}),
 *       the alert is not given up but waits for it, read again after growing pauses ({@link WaitingForChannel});</li>
 *   <li>after the last failed attempt at a message the channel refused, the alert goes to
 *       {@code reunification.alerts-dlt} and is counted; nothing reads it back automatically, but a hotline operator
 *       can resend it once the cause is fixed, through the same audited, fenced path as a held alert
 *       ({@link HeldAlerts#resend}).</li>
 * </ol>
 *
 * <p><b>An attempt whose outcome is unknown is never sent again automatically.</b> If the service stops between
 * SENDING and the outcome (a {@code kill -9}, a power cut, the broker gone while the outcome is written), nobody knows
 * whether the relative got the message: the SMTP server may have taken it the moment before the crash. Sending it again
 * risks telling a family twice that their person arrived (the rule: a relative never gets the same alert twice, and a
 * second copy of news this heavy is harm, not noise); not sending it risks silence. A person decides: the alert is
 * recorded UNKNOWN, counted ({@code reunification.alert.deliveries{outcome="unknown"}}, and
 * {@code reunification.alerts.held}), shown on the ops console as needing attention, and a hotline operator, who can
 * ask the family, resends it (same Message-ID) or marks it delivered ({@link HeldAlerts}). The same holds when a channel
 * handed the message over and timed out waiting for the answer ({@link OutcomeUnknown}: the SMS gateway took the request
 * and did not answer, or the mail server took the whole message and did not answer: {@link UnansweredMessages}):
 * recorded UNKNOWN with that reason, not retried.
 *
 * <p>Logs carry alert and inquiry ids, never a name, address or number.
 */
@Component
public class AlertDelivery {

    private static final Logger log = LoggerFactory.getLogger(AlertDelivery.class);
    /** The e-mail lane's listener; its consumer group is {@code reunification.delivery.group-id}, which read every alert before lanes. */
    public static final String EMAIL_LANE = "reunification-delivery";
    /** The SMS lane's listener; its consumer group is {@code reunification.delivery.group-id} followed by {@link #SMS_GROUP_SUFFIX}. */
    public static final String SMS_LANE = "reunification-delivery-sms";
    public static final String SMS_GROUP_SUFFIX = "-sms";
    public static final List<String> LANES = List.of(EMAIL_LANE, SMS_LANE);
    static final String WITHDRAWN = "inquiry withdrawn: not delivered";
    static final String ERASED = "contact data erased: not delivered";
    /** Ends the reason of the last attempt of a round at an unavailable channel: the alert is not given up. */
    public static final String WAITS_FOR_CHANNEL = "; the alert waits for the channel and is tried again";
    /**
     * The attempt number of an alert withheld on purpose (its inquiry withdrawn, its contact erased): recorded FAILED
     * without a try, and never to be sent or resent, except one withheld as {@link #ALREADY_TOLD}. The ops console reads
     * attempt 0 the same way.
     */
    static final int WITHHELD = 0;
    /**
     * The reason recorded for an alert whose match fell before it went out. Withheld (attempt 0), so neither delivery nor
     * an operator sends it; if the match stands again, pairing issues the alert once more and it goes out then.
     */
    static final String MATCH_FELL = "the match no longer stands (back in review, rejected or retracted): not delivered; "
            + "it goes out if the match is confirmed again";
    /**
     * The reason recorded for an alert whose news already reached the same address through another inquiry. Which one
     * is in the log only: the delivery topic is read by other services and the reason shown to caseworkers, and two
     * inquiry ids side by side say that two families' inquiries reach the same person, which is contact data.
     *
     * <p>Unlike the other withheld alerts an operator may resend it: the other inquiry's alert may only have been being
     * sent or held with an unknown outcome, and then failed, or that inquiry was withdrawn before anyone settled it. The
     * family would otherwise never hear the news. The resend checks again and sends only if no other inquiry's alert
     * reached the address, or may have ({@link #alreadyToldThrough}).
     */
    /** Why a claim of news the family's other inquiry may have claimed too was released: nothing was sent. */
    static final String LEDGER_IN_DOUBT = "the delivery ledger could not be read to its end (a write to it left open):"
            + " nothing sent; the alert is tried again";
    static final String ALREADY_TOLD = "the same news already went to this address through another inquiry: not sent twice";
    /**
     * The reason recorded for an alert given up because this instance never read its inquiry or match in its tries:
     * a failure (attempt 1), so the console lists it and an operator can resend it once the instance has caught up.
     */
    static final String NOT_READ = "this instance had not read the alert's inquiry or match after every try: not delivered;"
            + " resend it once the service has caught up";
    /**
     * The reason recorded for an alert whose inquiry and person already had a later milestone go out. Withheld (attempt
     * 0): it would tell a family who heard "arrived" that their person "appears on a release list", older news that reads
     * as a step back. Pairing never issues such an alert ({@code AlertRules#due}); this stops one issued before the later
     * one, which waited for its channel or failed and was resent by an operator.
     */
    static final String SUPERSEDED = "superseded: a later milestone of this inquiry and person was already delivered "
            + "(or may have been): not sent, as it would announce older news after newer";
    static final String NO_KEY = "the contact-key vault does not hold this inquiry's key: not delivered; resend once the vault is restored";

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
    private final InquiryReads caughtUp;
    private final MatchStandings standings;
    /** How long an alert waits for this instance to read its inquiry (a rebuild takes up to a minute and a half). */
    private final Duration inquiryPatience;
    private static final Duration UNREAD_INQUIRY_POLL = Duration.ofMillis(200);
    /** Striped by news (person and milestone): the lanes' consumers deliver other news side by side. */
    private final Object[] newsLocks = new Object[64];

    AlertDelivery(DeliveryLedger ledger, InquiryLookup inquiries, AlertTemplates templates, EmailChannel email, SmsChannel sms,
                  DeadLetters deadLetters, MeterRegistry meters, Clock clock,
                  @Value("${reunification.delivery.max-attempts:3}") int maxAttempts,
                  @Value("${reunification.delivery.back-off:500ms}") Duration backOff, ContactSeal contacts,
                  InquiryReads caughtUp, @Value("${reunification.delivery.inquiry-patience:90s}") Duration inquiryPatience,
                  MatchStandings standings) {
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
        this.caughtUp = caughtUp;
        this.inquiryPatience = inquiryPatience;
        this.standings = standings;
        Arrays.setAll(newsLocks, i -> new Object());
        Gauge.builder(MetricNames.ALERTS_HELD, ledger, held -> held.held().size())
                .description("Alerts whose delivery outcome is unknown, held for an operator to resend or mark delivered")
                .register(meters);
    }

    public String topic() {
        return Topics.ALERTS.name();
    }

    @KafkaListener(id = EMAIL_LANE, groupId = "${reunification.delivery.group-id}", topics = "#{__listener.topic()}",
            containerFactory = "deliveryContainerFactory", autoStartup = "false")
    public void deliverByEmail(ConsumerRecord<String, AlertIssued> record) {
        inLane(AlertChannel.EMAIL, record);
    }

    @KafkaListener(id = SMS_LANE, groupId = "${reunification.delivery.group-id}" + SMS_GROUP_SUFFIX, topics = "#{__listener.topic()}",
            containerFactory = "deliveryContainerFactory", autoStartup = "false")
    public void deliverBySms(ConsumerRecord<String, AlertIssued> record) {
        inLane(AlertChannel.SMS, record);
    }

    /** Delivers the alert if it was issued for {@code lane}'s channel; the other lane delivers the others. */
    private void inLane(AlertChannel lane, ConsumerRecord<String, AlertIssued> record) {
        if (record.value() != null && record.value().getChannel() == lane) {
            on(record);
        }
    }

    /** Delivers one alert, whichever its channel (each lane passes its own here). */
    void on(ConsumerRecord<String, AlertIssued> record) {
        AlertIssued alert = record.value();
        if (alert == null) {
            return;
        }
        ledger.recordUnrecorded(alert.getAlertId());
        if (ledger.isDelivered(alert.getAlertId())) {
            log.info("Alert {} of inquiry {} was delivered before; not sent again", alert.getAlertId(), alert.getInquiryId());
            return;
        }
        Optional<AlertDeliveryAttempted> latest = ledger.latest(alert.getAlertId());
        if (latest.isPresent() && latest.get().getOutcome() == DeliveryOutcome.SENDING) {
            // Its sender recorded SENDING and never the outcome: this instance, when the send threw something that is
            // not a delivery failure, or an instance that stopped mid-send (here after a restart, or on the instance
            // its partition went to: the alert comes back because its offset was never committed). Held, never resent.
            ledger.holdForOperator(latest.get());
            heldForOperator(latest.get());
            return;
        }
        if (latest.isPresent() && latest.get().getOutcome() == DeliveryOutcome.UNKNOWN) {
            log.info("Alert {} of inquiry {} has an unknown delivery outcome; held for an operator, not sent again",
                    alert.getAlertId(), alert.getInquiryId());
            return;
        }
        Attempts attempts = deliver(alert, null);
        if (attempts.exhausted()) {
            deadLetters.accept(record, new DeliveryFailure("not delivered after " + retries.attempts() + " attempts: "
                    + attempts.last().getFailureReason()));
            Counter.builder(MetricNames.ALERTS_DEAD_LETTERED).description("Alerts that could not be delivered; they are on reunification.alerts-dlt")
                    .register(meters).increment();
        }
    }

    /**
     * The container gives the alert up (its tries are spent) and dead-letters it next. One that failed only because this
     * instance had not read its inquiry or match is recorded FAILED first: with no record, the ledger knew nothing of it,
     * and an operator's resend answered 404, so the family was never told. So is one whose latest record says nothing
     * was handed over: RETRYING (a round that waited for the channel, before this instance lost track of the inquiry)
     * or withheld (attempt 0, from an earlier issue of the same alert id, whose match fell and stands again). Left so,
     * it was neither held nor failed: the console showed it waiting for good and a resend answered 409. An alert that
     * went out, or may have (DELIVERED, SENDING, UNKNOWN), keeps its record: it must never be marked failed and resent.
     */
    void gaveUp(ConsumerRecord<?, ?> record, Exception cause) {
        if (!(record.value() instanceof AlertIssued alert) || !notReadYet(cause)) {
            return;
        }
        boolean mayHaveGone = ledger.isDelivered(alert.getAlertId()) || ledger.latest(alert.getAlertId())
                .map(latest -> latest.getOutcome() == DeliveryOutcome.DELIVERED || latest.getOutcome() == DeliveryOutcome.SENDING
                        || latest.getOutcome() == DeliveryOutcome.UNKNOWN)
                .orElse(false);
        if (mayHaveGone) {
            return;
        }
        ledger.record(attempt(alert, 1, alert.getChannel(), DeliveryOutcome.FAILED, NOT_READ, null));
        count(alert.getChannel(), "failed");
        log.error("Alert {} of inquiry {} not delivered: this instance had not read its inquiry or match after every try;"
                + " recorded as failed, an operator may resend it", alert.getAlertId(), alert.getInquiryId());
    }

    private static boolean notReadYet(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof InquiryNotReadYet || cause instanceof MatchNotReadYet) {
                return true;
            }
        }
        return false;
    }

    /** Counts and logs an alert that the last stop of the service left with an unknown outcome. */
    private void heldForOperator(AlertDeliveryAttempted attempt) {
        count(attempt.getChannel(), "unknown");
        log.warn("Alert {} of inquiry {}: delivery outcome unknown (the service stopped while sending it); held for an operator",
                attempt.getAlertId(), attempt.getInquiryId());
    }

    /**
     * Sends the alert over the relative's channel now, recording each attempt before and after the send.
     *
     * @param operator who asked for it (an operator's resend), or null when the service delivers on its own
     */
    Attempts deliver(AlertIssued alert, String operator) {
        // an operator waiting on a resend is answered at once; the listener waits for a rebuild to finish
        Optional<InquiryRegistered> inquiry = readInquiry(alert.getInquiryId(), operator == null ? inquiryPatience : Duration.ZERO);
        if (inquiry.isEmpty() || inquiries.isWithdrawn(alert.getInquiryId())) {
            AlertDeliveryAttempted withdrawn = attempt(alert, WITHHELD, alert.getChannel(), DeliveryOutcome.FAILED, WITHDRAWN, operator);
            ledger.record(withdrawn);
            count(alert.getChannel(), "withdrawn");
            log.info("Alert {} not delivered: inquiry {} is withdrawn", alert.getAlertId(), alert.getInquiryId());
            return new Attempts(withdrawn, false);
        }
        MatchStandings.Standing standing = readStanding(alert, operator == null ? inquiryPatience : Duration.ZERO);
        if (standing == MatchStandings.Standing.FELL) {
            AlertDeliveryAttempted fell = attempt(alert, WITHHELD, alert.getChannel(), DeliveryOutcome.FAILED, MATCH_FELL, operator);
            ledger.record(fell);
            count(alert.getChannel(), "match-fell");
            log.info("Alert {} not delivered: its match of inquiry {} no longer stands", alert.getAlertId(), alert.getInquiryId());
            return new Attempts(fell, false);
        }
        Optional<Milestone> later = supersededBy(alert);
        if (later.isPresent()) {
            return new Attempts(withholdSuperseded(alert, later.get(), operator), false);
        }
        Optional<InquiryRegistered> readable;
        try {
            readable = contacts.open(inquiry.get());
        } catch (ContactSeal.ContactKeyUnavailableException e) {
            // Not an erasure: the vault lost the key, or points elsewhere. A failure (attempt 1, so the console lists it
            // and a hotline operator may resend it once the vault is restored), never "erased", and never retried here:
            // every try would meet the same missing key.
            AlertDeliveryAttempted noKey = attempt(alert, 1, alert.getChannel(), DeliveryOutcome.FAILED, NO_KEY, operator);
            ledger.record(noKey);
            count(alert.getChannel(), "failed");
            log.error("Alert {} not delivered: {}", alert.getAlertId(), e.getMessage());
            return new Attempts(noKey, false);
        }
        if (readable.isEmpty()) {
            AlertDeliveryAttempted erased = attempt(alert, WITHHELD, alert.getChannel(), DeliveryOutcome.FAILED, ERASED, operator);
            ledger.record(erased);
            count(alert.getChannel(), "erased");
            log.info("Alert {} not delivered: the contact data of inquiry {} was erased", alert.getAlertId(), alert.getInquiryId());
            return new Attempts(erased, false);
        }
        Relative relative = readable.get().getRelative();
        AlertChannel channel = ContactChannel.of(relative); // the contact now, which may have changed since the alert
        // Checked and claimed (SENDING) under one lock, so two lanes' consumers of this instance cannot both send it.
        synchronized (newsLock(alert)) {
            List<String> family = sameAddress(alert, ContactChannel.recipient(relative));
            Optional<String> toldThrough = family.isEmpty() ? Optional.empty() : toldThrough(alert, family);
            if (toldThrough.isPresent()) {
                return alreadyTold(alert, channel, toldThrough.get(), operator);
            }
            ledger.record(attempt(alert, 1, channel, DeliveryOutcome.SENDING, null, operator));
            if (!family.isEmpty()) {
                // Another instance may have claimed the news for the family's other inquiry at this very moment: the
                // claims share a partition, and the first one there goes out (see DeliveryLedger#firstClaim).
                Map<String, String> inquiryOfAlert = new HashMap<>();
                family.forEach(other -> inquiryOfAlert.put(AlertRules.alertId(other, alert.getPersonId(), alert.getMilestone()), other));
                inquiryOfAlert.put(alert.getAlertId(), alert.getInquiryId());
                Optional<String> first;
                try {
                    first = ledger.firstClaim(inquiryOfAlert.keySet());
                } catch (DeliveryLedger.LedgerInDoubtException inDoubt) {
                    if (operator != null) {
                        // the operator's resend puts the alert back as it was (HeldAlerts), to be resent again
                        throw inDoubt;
                    }
                    // Nothing has left: the claim is released, not left SENDING, which the next read of the alert
                    // would hold for an operator as "stopped mid-send" (false, and the family then waits for a person).
                    // The lane reads the alert again after a pause, as for a channel that is away, until the
                    // transaction left open is ended (the takeover's fencing, or the broker's timeout).
                    ledger.record(attempt(alert, 1, channel, DeliveryOutcome.RETRYING, LEDGER_IN_DOUBT, null));
                    throw new WaitingForLedger(alert.getAlertId(), inDoubt);
                }
                if (first.isPresent() && !first.get().equals(alert.getAlertId())) {
                    return alreadyTold(alert, channel, inquiryOfAlert.get(first.get()), operator);
                }
            }
        }
        // In the language the relative reads now, as the address is the one they gave last: a family that asked to be
        // written to in Ukrainian rather than Russian is not sent an alert issued before in the language they turned from.
        Language language = relative.getLanguage() == null ? alert.getLanguage() : relative.getLanguage();
        Message message = templates.render(alert.getMilestone(), language, alert.getInquiryId(), alert.getFacility());
        AlertDeliveryAttempted last = null;
        for (int attempt = 1; attempt <= retries.attempts(); attempt++) {
            if (attempt > 1) {
                ledger.record(attempt(alert, attempt, channel, DeliveryOutcome.SENDING, null, operator));
            }
            try {
                if (channel == AlertChannel.EMAIL) {
                    email.send(alert.getAlertId(), relative.getEmail(), message.subject(),
                            templates.emailBody(message, language, alert.getInquiryId()));
                } else {
                    sms.send(alert.getAlertId(), relative.getPhone(), message.text());
                }
            } catch (OutcomeUnknown e) {
                // The message may have gone out: held for an operator, as after a crash mid-send, never retried here.
                AlertDeliveryAttempted unknown = attempt(alert, attempt, channel, DeliveryOutcome.UNKNOWN, e.getMessage(), operator);
                ledger.record(unknown);
                count(channel, "unknown");
                log.warn("Alert {} of inquiry {}: attempt {} by {} has an unknown outcome ({}); held for an operator",
                        alert.getAlertId(), alert.getInquiryId(), attempt, channel, e.getMessage());
                return new Attempts(unknown, false);
            } catch (DeliveryFailure e) {
                boolean isLast = retries.isLast(attempt);
                if (isLast && e instanceof ChannelUnavailable unavailable && operator == null) {
                    AlertDeliveryAttempted waiting = attempt(alert, attempt, channel, DeliveryOutcome.RETRYING,
                            e.getMessage() + WAITS_FOR_CHANNEL, null);
                    ledger.record(waiting);
                    count(channel, "waiting");
                    log.warn("Alert {} of inquiry {}: the {} channel is unavailable ({}); the alert waits for it",
                            alert.getAlertId(), alert.getInquiryId(), channel, e.getMessage());
                    throw new WaitingForChannel(alert.getAlertId(), channel, unavailable);
                }
                last = attempt(alert, attempt, channel, isLast ? DeliveryOutcome.FAILED : DeliveryOutcome.RETRYING, e.getMessage(), operator);
                ledger.record(last);
                count(channel, isLast ? "failed" : "retrying");
                log.warn("Alert {} of inquiry {}: attempt {} of {} by {} failed: {}", alert.getAlertId(), alert.getInquiryId(),
                        attempt, retries.attempts(), channel, e.getMessage());
                if (!isLast) {
                    pause(retries.pauseAfter(attempt));
                }
                continue;
            }
            // Outside the try: a broker that cannot take this record throws, and the ledger keeps the outcome to write
            // on the alert's next try rather than let it become unknown.
            AlertDeliveryAttempted delivered = attempt(alert, attempt, channel, DeliveryOutcome.DELIVERED, null, operator);
            ledger.record(delivered);
            count(channel, "delivered");
            log.info("Alert {} of inquiry {} delivered by {} (attempt {})", alert.getAlertId(), alert.getInquiryId(), channel, attempt);
            return new Attempts(delivered, false);
        }
        return new Attempts(last, true);
    }

    /**
     * The other inquiries whose alerts go to this address now: a family that registered twice (a second call to the
     * hotline, or a partner organisation that registered them again, with the name spelled another way) is one family,
     * and is told each news once. They are found among the inquiries ever paired with the person, on any instance, and
     * those with attempts recorded for this news. A family that registered twice is rare, so the common alert pays for
     * nothing but this look-up.
     */
    private List<String> sameAddress(AlertIssued alert, String recipient) {
        Set<String> others = new TreeSet<>(standings.inquiriesPairedWith(alert.getPersonId()));
        ledger.sameNews(alert.getPersonId(), alert.getMilestone()).forEach(attempt -> others.add(attempt.getInquiryId()));
        others.remove(alert.getInquiryId());
        // Not an inquiry whose match with the person fell: the news that went through it was about the person it
        // sought, as far as the family can tell (an alert names the inquiry only), and a mother who registered for two
        // sons, one inquiry wrongly matched and rejected since, must still hear of the son this alert is about.
        return others.stream().filter(other -> recipientOf(other).filter(recipient::equals).isPresent())
                .filter(other -> standings.of(other, alert.getPersonId()) != MatchStandings.Standing.FELL).toList();
    }

    /**
     * The family's inquiry through which the same news (this alert's person and milestone) already went, or may have
     * gone: delivered, or held with an unknown outcome, over whichever channel ({@link DeliveryLedger#mayHaveReached}, the
     * rule {@link DeliveryLedger#firstClaim} applies too). An alert whose delivery failed, or was withheld, told nobody.
     * One being sent (SENDING) does not count here: two claims of the news at the same moment are settled by which came
     * first on the news's partition ({@link DeliveryLedger#firstClaim}), which every instance reads alike. Counted here
     * too, a claim about to lose there withheld the other: an operator's resend and the lane sending the family's other
     * alert each saw the other's SENDING, one was withheld here and the other by firstClaim, and the family heard
     * nothing. The ledger is read again from the topic first: another instance may have delivered since this one last
     * read it (only a start or a rebalance reads it otherwise).
     */
    private Optional<String> toldThrough(AlertIssued alert, List<String> family) {
        ledger.rebuild();
        for (String other : family) {
            if (ledger.mayHaveReached(AlertRules.alertId(other, alert.getPersonId(), alert.getMilestone()))) {
                return Optional.of(other);
            }
        }
        return Optional.empty();
    }

    /**
     * The furthest milestone after the alert's own that its inquiry and person were told already, or may have been
     * (delivered, being sent, or held with an unknown outcome: the family may have read it). As this instance's ledger
     * knows it: an operator's resend reads the topic again first ({@link HeldAlerts}).
     */
    Optional<Milestone> supersededBy(AlertIssued alert) {
        Milestone[] milestones = Milestone.values();
        for (int later = milestones.length - 1; later > alert.getMilestone().ordinal(); later--) {
            String laterAlert = AlertRules.alertId(alert.getInquiryId(), alert.getPersonId(), milestones[later]);
            boolean mayHaveReached = ledger.isDelivered(laterAlert) || ledger.latest(laterAlert).map(attempt ->
                    attempt.getOutcome() == DeliveryOutcome.SENDING || attempt.getOutcome() == DeliveryOutcome.UNKNOWN).orElse(false);
            if (mayHaveReached) {
                return Optional.of(milestones[later]);
            }
        }
        return Optional.empty();
    }

    /**
     * The family's other inquiry through which the news of an alert withheld as {@link #ALREADY_TOLD} reached its
     * address, or may have (delivered, or held with an unknown outcome), as the ledger reads now. Empty when
     * none did, and when the alert's own inquiry cannot be read or opened here: the delivery decides those cases itself.
     * For an operator's resend of such an alert, checked before anything is claimed or audited.
     *
     * <p>An inquiry withdrawn or erased since its alert was delivered no longer says where that alert went. This alert
     * was withheld because one of the family's inquiries had the same address, so such an inquiry counts as theirs:
     * before, it was left out, and the resend told the family the same news a second time. One whose alert was only
     * held with an unknown outcome when it was withdrawn does not count: nobody can settle it any more, and the family
     * would never hear the news.
     */
    Optional<String> alreadyToldThrough(AlertIssued alert) {
        return alreadyToldThrough(alert, true);
    }

    /**
     * As {@link #alreadyToldThrough(AlertIssued)}; without {@code orThroughAClosedInquiry} only the family's open
     * inquiries at the alert's address count, as for the delivery's own check: that is for a held or failed alert, which
     * was never withheld because of an address, so a withdrawn inquiry's delivery may have gone to another family.
     */
    Optional<String> alreadyToldThrough(AlertIssued alert, boolean orThroughAClosedInquiry) {
        Optional<InquiryRegistered> readable;
        try {
            readable = inquiries.find(alert.getInquiryId()).flatMap(contacts::open);
        } catch (ContactSeal.ContactKeyUnavailableException e) {
            return Optional.empty();
        }
        if (readable.isEmpty() || inquiries.isWithdrawn(alert.getInquiryId())) {
            return Optional.empty();
        }
        Relative relative = readable.get().getRelative();
        List<String> family = sameAddress(alert, ContactChannel.recipient(relative));
        Optional<String> told = family.isEmpty() ? Optional.empty() : toldThrough(alert, family);
        return orThroughAClosedInquiry ? told.or(() -> deliveredThroughAClosedInquiry(alert)) : told;
    }

    /** Another inquiry, withdrawn or erased now, through which the alert's news was delivered; its match did not fall. */
    private Optional<String> deliveredThroughAClosedInquiry(AlertIssued alert) {
        return ledger.sameNews(alert.getPersonId(), alert.getMilestone()).stream()
                .filter(attempt -> !attempt.getInquiryId().equals(alert.getInquiryId()))
                .filter(attempt -> ledger.isDelivered(attempt.getAlertId()))
                .map(AlertDeliveryAttempted::getInquiryId)
                .filter(other -> recipientOf(other).isEmpty())
                .filter(other -> standings.of(other, alert.getPersonId()) != MatchStandings.Standing.FELL)
                .findFirst();
    }

    /** Withholds the alert (see {@link #SUPERSEDED}) and returns the record of it. */
    AlertDeliveryAttempted withholdSuperseded(AlertIssued alert, Milestone later, String operator) {
        AlertDeliveryAttempted superseded = supersededRecord(alert, operator);
        ledger.record(superseded);
        withheldSuperseded(alert, later);
        return superseded;
    }

    /**
     * The record of the alert withheld as {@link #SUPERSEDED}, not written: an operator's resend commits it in its
     * fenced decision ({@link HeldAlerts}), then counts it with {@link #withheldSuperseded}.
     */
    AlertDeliveryAttempted supersededRecord(AlertIssued alert, String operator) {
        return attempt(alert, WITHHELD, alert.getChannel(), DeliveryOutcome.FAILED, SUPERSEDED, operator);
    }

    /** Counts and logs an alert whose {@link #supersededRecord} was written. */
    void withheldSuperseded(AlertIssued alert, Milestone later) {
        count(alert.getChannel(), "superseded");
        log.info("Alert {} ({}) of inquiry {} not delivered: {} of the same person went out, or may have, before it",
                alert.getAlertId(), alert.getMilestone(), alert.getInquiryId(), later);
    }

    /**
     * The record of an operator's resend of a held or failed alert withheld as {@link #ALREADY_TOLD} (the news went to
     * the same address through another inquiry, or is on its way there, as found before anything was claimed), not
     * written: the resend commits it in its fenced decision ({@link HeldAlerts}), then counts it with
     * {@link #withheldAlreadyTold}.
     */
    AlertDeliveryAttempted alreadyToldRecord(AlertIssued alert, String operator) {
        AlertChannel channel;
        try {
            channel = inquiries.find(alert.getInquiryId()).flatMap(contacts::open).map(open -> ContactChannel.of(open.getRelative()))
                    .orElse(alert.getChannel());
        } catch (ContactSeal.ContactKeyUnavailableException e) {
            channel = alert.getChannel();
        }
        return attempt(alert, WITHHELD, channel, DeliveryOutcome.FAILED, ALREADY_TOLD, operator);
    }

    /** Withholds the alert: the news went to the same address through {@code throughInquiry}. */
    private Attempts alreadyTold(AlertIssued alert, AlertChannel channel, String throughInquiry, String operator) {
        AlertDeliveryAttempted told = attempt(alert, WITHHELD, channel, DeliveryOutcome.FAILED, ALREADY_TOLD, operator);
        ledger.record(told);
        withheldAlreadyTold(told, alert, throughInquiry);
        return new Attempts(told, false);
    }

    /** Counts and logs an alert withheld as {@link #ALREADY_TOLD} once its record was written. */
    void withheldAlreadyTold(AlertDeliveryAttempted told, AlertIssued alert, String throughInquiry) {
        count(told.getChannel(), "already-told");
        log.info("Alert {} of inquiry {} not delivered: the same news went to the same address through inquiry {}",
                alert.getAlertId(), alert.getInquiryId(), throughInquiry);
    }

    /** Where alerts of an open inquiry go now; empty when it is withdrawn, erased or its key is missing. */
    private Optional<String> recipientOf(String inquiryId) {
        if (inquiries.isWithdrawn(inquiryId)) {
            return Optional.empty();
        }
        try {
            return inquiries.find(inquiryId).flatMap(contacts::open).map(open -> ContactChannel.recipient(open.getRelative()));
        } catch (ContactSeal.ContactKeyUnavailableException e) {
            return Optional.empty();
        }
    }

    private Object newsLock(AlertIssued alert) {
        return newsLocks[Math.floorMod(Objects.hash(alert.getPersonId(), alert.getMilestone()), newsLocks.length)];
    }

    /**
     * The alert's match as this instance reads it. One not known here yet (its partition's follower is still reading the
     * topic, after a start or a takeover) is waited for, at most {@code patience}, as an unread inquiry is.
     *
     * @throws MatchNotReadYet when it is still unknown after {@code patience}
     */
    private MatchStandings.Standing readStanding(AlertIssued alert, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        MatchStandings.Standing standing = standings.of(alert.getInquiryId(), alert.getPersonId());
        while (standing == MatchStandings.Standing.UNKNOWN) {
            if (System.nanoTime() >= deadline || Thread.currentThread().isInterrupted()) {
                throw new MatchNotReadYet(alert.getInquiryId());
            }
            pause(UNREAD_INQUIRY_POLL);
            standing = standings.of(alert.getInquiryId(), alert.getPersonId());
        }
        return standing;
    }

    /**
     * The inquiry as this instance reads it: open, or empty when withdrawn. One neither open nor withdrawn here is not read
     * yet (another instance issued the alert for an inquiry registered while this one was rebuilding its state, or is
     * still reading it): it is waited for, at most {@code patience}, and never taken for withdrawn.
     *
     * @throws InquiryNotReadYet when it is still unknown after {@code patience}
     */
    private Optional<InquiryRegistered> readInquiry(String inquiryId, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        Optional<InquiryRegistered> inquiry = inquiries.find(inquiryId);
        while (inquiry.isEmpty() && !inquiries.isWithdrawn(inquiryId)) {
            caughtUp.awaitCaughtUp(inquiryId);
            inquiry = inquiries.find(inquiryId);
            if (inquiry.isPresent() || inquiries.isWithdrawn(inquiryId)) {
                break;
            }
            if (System.nanoTime() >= deadline || Thread.currentThread().isInterrupted()) {
                throw new InquiryNotReadYet(inquiryId);
            }
            pause(UNREAD_INQUIRY_POLL);
            inquiry = inquiries.find(inquiryId);
        }
        return inquiry;
    }

    /**
     * The alert's inquiry is neither open nor withdrawn in this instance's view, after waiting
     * {@code reunification.delivery.inquiry-patience} for it. Nothing is recorded: the container tries the alert again
     * (bounded), and if the inquiry stays unknown it goes to {@code reunification.alerts-dlt} with this reason, where ops
     * see it; an operator's resend answers 503.
     */
    @ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
    static final class InquiryNotReadYet extends RuntimeException {
        InquiryNotReadYet(String inquiryId) {
            super("inquiry " + inquiryId + " is not read by this instance yet");
        }
    }

    /**
     * The alert's match is not known to this instance even after it read the matches topic as it was a moment ago (its
     * follower is behind, or stopped). Nothing is recorded: the alert is tried again, as one whose inquiry is not read yet.
     */
    @ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
    static final class MatchNotReadYet extends RuntimeException {
        MatchNotReadYet(String inquiryId) {
            super("the match of an alert of inquiry " + inquiryId + " is not read by this instance yet");
        }
    }

    /**
     * Every attempt at the alert met a {@link ChannelUnavailable}: the mail server or SMS gateway cannot take any message
     * now. The alert is not given up (the dead-letter topic, then a hotline operator's resend by hand, alert after alert):
     * its lane's container reads it again after a pause of 1 s growing to 30 s, for as long as the channel is away
     * ({@link Outage}), and the alerts of the same lane behind it on its partition wait with it, in order (the other
     * channel's lane goes on). Each time it is read again the
     * inquiry and the match are checked again, so an alert whose match fell while it waited is withheld, not sent.
     * An operator's resend is not held up: its last attempt is recorded FAILED, and the operator may resend it later.
     */
    static final class WaitingForChannel extends RuntimeException implements Outage {
        WaitingForChannel(String alertId, AlertChannel channel, ChannelUnavailable cause) {
            super("alert " + alertId + " waits for the " + channel + " channel: " + cause.getMessage(), cause);
        }
    }

    /**
     * The family's other inquiry may have claimed the same news, and the delivery ledger cannot be read to its end to
     * say which claim came first (a write to it left open by an instance that stopped, or a broker that died). Nothing
     * was sent, and the claim was released (RETRYING): the lane reads the alert again after a pause of 1 s growing to
     * 30 s ({@link Outage}), for as long as the ledger stays in doubt, never deciding on a short read.
     */
    static final class WaitingForLedger extends RuntimeException implements Outage {
        WaitingForLedger(String alertId, DeliveryLedger.LedgerInDoubtException cause) {
            super("alert " + alertId + " waits for the delivery ledger to be read to its end: " + cause.getMessage(), cause);
        }
    }

    /** Whether the record is of an alert withheld on purpose (see {@link #WITHHELD}). */
    static boolean withheld(AlertDeliveryAttempted record) {
        return record.getOutcome() == DeliveryOutcome.FAILED && record.getAttempt() == WITHHELD;
    }

    /**
     * How a delivery ended: its last record, and whether every attempt failed (the alert is then dead-lettered, and a
     * hotline operator can resend it once the cause is fixed: {@link HeldAlerts#resend}).
     */
    record Attempts(AlertDeliveryAttempted last, boolean exhausted) {
    }

    private AlertDeliveryAttempted attempt(AlertIssued alert, int attempt, AlertChannel channel, DeliveryOutcome outcome, String reason,
                                           String operator) {
        return AlertDeliveryAttempted.newBuilder()
                .setAlertId(alert.getAlertId())
                .setInquiryId(alert.getInquiryId())
                .setAttempt(attempt)
                .setChannel(channel)
                .setOutcome(outcome)
                .setFailureReason(reason)
                .setAttemptedAt(clock.instant())
                .setMessageId(channel == AlertChannel.EMAIL ? EmailChannel.messageId(alert.getAlertId()) : null)
                .setDecidedBy(operator)
                .setPersonId(alert.getPersonId())
                .setMilestone(alert.getMilestone())
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
