package org.homecoming.transport.handovers;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.homecoming.platform.kafka.FencedTransactions;
import org.homecoming.transport.geo.CrossingGeography;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Serializes the reception point's decisions (hand-overs, admissions, closing a bus's hand-overs) across every
 * instance of the service with the reception point's transactional id ({@code transport-handovers-<receptionPointId>},
 * see {@link FencedTransactions}). One id for all three because they check each other: an admission needs the
 * person's hand-over, a close reports the persons never handed over, and a person may be claimed from two buses. A
 * decision that lost to one on another instance answers 409 and published nothing; the caller retries and then sees
 * the winner's record.
 *
 * <p>Unlike {@link FencedTransactions#run}, the producer holding the id is kept from one decision to the next: hand-overs
 * come one per person, and taking the id afresh for each (a new producer, its metadata, coordinator and
 * InitProducerId) made them about ten times slower. Keeping it is as safe: a decision reads the ledger after the
 * producer took the id, so the read sees every decision committed before; one committed since on another instance
 * took the id and fenced the kept producer, whose commit then fails. A kept producer that finds itself fenced is
 * dropped and the decision taken once more with a new one (nothing was published); only a decision fenced with a
 * producer that took the id for it lost a race, and answers 409.
 */
@Component
class ReceptionPointFence implements DisposableBean {

    private final String transactionalId;
    private final KafkaTemplate<String, Object> kafka;
    private final Supplier<ProducerFactory<String, Object>> producers;
    private final Consumer<KafkaOperations<String, Object>> hook;
    /** The factory of producers holding the id, made once; it caches the producer between decisions. Guarded by this. */
    private ProducerFactory<String, Object> holding;
    /** Whether {@link #holding} caches a producer that took the id for an earlier decision. Guarded by this. */
    private boolean kept;

    @Autowired
    ReceptionPointFence(CrossingGeography geography, KafkaTemplate<String, Object> kafka,
                        ObjectProvider<ProducerFactory<String, Object>> producers, ObjectProvider<HandoverPublicationHook> hook) {
        this(geography.receptionPoint().id(), kafka, producers::getIfAvailable,
                transaction -> hook.ifAvailable(afterSend -> afterSend.afterSend(transaction)));
    }

    private ReceptionPointFence(String receptionPointId, KafkaTemplate<String, Object> kafka,
                                Supplier<ProducerFactory<String, Object>> producers, Consumer<KafkaOperations<String, Object>> hook) {
        this.transactionalId = "transport-handovers-" + receptionPointId;
        this.kafka = kafka;
        this.producers = producers;
        this.hook = hook;
    }

    /** Without a producer factory (unit tests): each decision runs on the template as it is, fenced by nothing. */
    static ReceptionPointFence unfenced(KafkaTemplate<String, Object> kafka) {
        return new ReceptionPointFence("unfenced", kafka, () -> null, transaction -> { });
    }

    /**
     * Runs {@code decision} holding the reception point's id: it must read the ledger ({@code requireCurrent}) inside,
     * after the id was taken, and publish through the template it is given.
     *
     * @throws ErrorResponseException 409 when another instance took the id before this decision committed
     */
    synchronized <T> T decide(Function<KafkaTemplate<String, Object>, T> decision) {
        ProducerFactory<String, Object> factory = producers.get();
        if (factory == null) {
            return decision.apply(kafka);
        }
        if (holding == null) {
            // the factory appends a suffix to its prefix: one decision at a time, the only producer is "0"
            holding = factory.copyWithConfigurationOverride(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId + "-"));
        }
        while (true) {
            boolean takenForThis = !kept;
            try {
                try (Producer<String, Object> fence = holding.createProducer()) {
                    // a new producer took the id here (initTransactions); a kept one took it before; closing caches it
                }
                kept = true;
                return decision.apply(new KafkaTemplate<>(holding));
            } catch (RuntimeException e) {
                boolean fenced = FencedTransactions.isFencing(e);
                if (!fenced && (takenForThis || !ledgerBehind(e))) {
                    // a refusal (400, 503) before any transaction, or a failed one whose producer the factory dropped
                    throw e;
                }
                // Fenced, or (with a kept producer) the ledger could not reach the end: another instance may hold the id
                // with a transaction open, which only taking the id afresh aborts. Either way nothing was published.
                holding.reset();
                kept = false;
                if (takenForThis) {
                    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Another hand-over, admission or "
                            + "close at the reception point was recorded at the same moment on another instance; nothing was "
                            + "published. Retry");
                    throw new ErrorResponseException(HttpStatus.CONFLICT, problem, new FencedTransactions.FencedOutException(transactionalId, e));
                }
                // the kept producer was fenced, or blocked, by a decision taken on another instance since: take the id afresh
            }
        }
    }

    private static boolean ledgerBehind(RuntimeException e) {
        return e instanceof ErrorResponseException refused && refused.getStatusCode().value() == HttpStatus.SERVICE_UNAVAILABLE.value();
    }

    @Override
    public synchronized void destroy() {
        if (holding != null) {
            holding.reset();
        }
    }

    /** Called inside each decision's transaction after its records were sent (the test seam; nothing in production). */
    void afterSend(KafkaOperations<String, Object> transaction) {
        hook.accept(transaction);
    }
}
