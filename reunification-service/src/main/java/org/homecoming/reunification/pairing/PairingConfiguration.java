package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.platform.deadletter.DeadLetterPolicy;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.holding.HeldRecords;
import org.homecoming.platform.holding.HoldingSettings;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.platform.retry.RetryPolicy;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.inquiries.InquiryService;
import org.homecoming.reunification.matching.MatchScorer;
import org.homecoming.reunification.matching.Outcome;
import org.homecoming.catalogue.Topics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AfterRollbackProcessor;

@Configuration(proxyBeanMethods = false)
class PairingConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Pairing pairing(@Value("${reunification.matching.close-margin:3.0}") double closeMargin, Clock clock,
                    InquiryBook book, InquiryService inquiries, MeterRegistry meters) {
        return new Pairing(new MatchScorer(), closeMargin, clock, book, inquiries::isWithdrawn, new Pairing.Counters() {
            @Override
            public void matchingRun(Outcome best) {
                String outcome = switch (best) {
                    case AUTO_MATCH -> "auto";
                    case REVIEW -> "review";
                    case NON_MATCH -> "non";
                };
                Counter.builder(MetricNames.MATCHING_OUTCOMES).description("Matching runs by their best outcome")
                        .tag("outcome", outcome).register(meters).increment();
            }

            @Override
            public void alertIssued(Milestone milestone) {
                Counter.builder(MetricNames.ALERTS_ISSUED).description("Alerts issued to relatives")
                        .tag("milestone", milestone.name().toLowerCase(Locale.ROOT)).register(meters).increment();
            }
        });
    }

    /**
     * The pairing listener's held records; the rebuild finds them again after a restart. Every instance reads every
     * person, so each holds a person's record that makes no sense yet; the owner of the inquiry partition of the same
     * number dead-letters it, once (a caseworker's decision is read by its inquiry's owner only). Every instance keeps
     * watching the facts it dead-lettered or let go: a person listed late, a manifest registered late, still makes the
     * family hear of the arrival or the crossing. Decisions are not watched (see {@link HeldRecords}).
     */
    @Bean
    HeldRecords pairingHeldRecords(HoldingSettings settings, DeadLetters deadLetters, MeterRegistry meters, Clock clock,
                                   ObjectProvider<StateRebuild> rebuild) {
        return new HeldRecords("reunification-pairing", settings, deadLetters, meters, clock, record ->
                rebuild.getObject().owned().contains(record.partition() % Topics.MATCHES.partitions()))
                .watchingAfterDeadLetter(record -> StateRebuild.FACTS.stream().anyMatch(fact -> fact.name().equals(record.topic())));
    }

    @Bean
    MatchBook matchBook(Pairing pairing) {
        return pairing.matches();
    }

    @Bean
    AlertBook alertBook(Pairing pairing) {
        return pairing.alerts();
    }

    /**
     * When a pairing batch fails, the transaction is rolled back and the batch retried by the platform's policy; then the failing record
     * goes to its dead-letter topic and its offset is committed in a transaction, and pairing goes on. A batch that
     * failed because the schema registry was unavailable is retried until it answers, never dead-lettered.
     */
    @Bean
    AfterRollbackProcessor<Object, Object> pairingAfterRollback(DeadLetters deadLetters, KafkaTemplate<Object, Object> kafka) {
        return DeadLetterPolicy.afterRollbackProcessor(deadLetters, RetryPolicy.DEFAULT, kafka);
    }
}
