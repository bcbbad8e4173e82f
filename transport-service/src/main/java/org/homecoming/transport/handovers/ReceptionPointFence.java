package org.homecoming.transport.handovers;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.homecoming.platform.kafka.FencedTransactions;
import org.homecoming.platform.kafka.KeptFencedTransactions;
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
 * <p>The producer holding the id is kept from one decision to the next ({@link KeptFencedTransactions}, which says why
 * that is as safe): hand-overs come one per person, and taking the id afresh for each made them about ten times slower.
 * A decision that could not read the ledger to its end (503) with a kept producer may be blocked by another instance's
 * open transaction, and is taken once more with the id taken afresh.
 */
@Component
class ReceptionPointFence implements DisposableBean {

    private final String transactionalId;
    private final KafkaTemplate<String, Object> kafka;
    private final Supplier<ProducerFactory<String, Object>> producers;
    private final Consumer<KafkaOperations<String, Object>> hook;
    /** The reception point's fence, made at the first decision. Guarded by this. */
    private KeptFencedTransactions fence;

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
        if (fence == null) {
            fence = new KeptFencedTransactions(factory, transactionalId, ReceptionPointFence::ledgerBehind);
        }
        try {
            return fence.run(decision);
        } catch (FencedTransactions.FencedOutException lost) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Another hand-over, admission or "
                    + "close at the reception point was recorded at the same moment on another instance; nothing was "
                    + "published. Retry");
            throw new ErrorResponseException(HttpStatus.CONFLICT, problem, lost);
        }
    }

    private static boolean ledgerBehind(RuntimeException e) {
        return e instanceof ErrorResponseException refused && refused.getStatusCode().value() == HttpStatus.SERVICE_UNAVAILABLE.value();
    }

    @Override
    public synchronized void destroy() {
        if (fence != null) {
            fence.close();
        }
    }

    /** Called inside each decision's transaction after its records were sent (the test seam; nothing in production). */
    void afterSend(KafkaOperations<String, Object> transaction) {
        hook.accept(transaction);
    }
}
