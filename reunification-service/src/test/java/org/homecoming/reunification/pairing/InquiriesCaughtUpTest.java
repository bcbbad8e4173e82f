package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.matching.MatchScorer;
import org.homecoming.testkit.KraftBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * When an instance's view of an inquiry's partition has caught up with the topic, aborted writes there included; and
 * that a view without a position, or a request that cannot have the probe in time, is answered "not caught up" at once.
 */
class InquiriesCaughtUpTest {

    private static final String INQUIRY = "inq-caught-up";

    private static EmbeddedKafkaKraftBroker broker;
    private final AtomicLong readTo = new AtomicLong();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KraftBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            admin.createTopics(List.of(new NewTopic(Topics.INQUIRIES.name(), Topics.INQUIRIES.partitions(), (short) 1),
                    new NewTopic(Topics.MATCHES.name(), Topics.MATCHES.partitions(), (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void shouldTakeAViewAsCaughtUpWhenTheLastWriteOnItsPartitionWasRolledBack() throws Exception {
        // given a revision this instance has read, and after it a write whose transaction was aborted (its audit entry failed)
        long committed = write(true);
        write(false);
        readTo.set(committed + 1);

        // then a request about the inquiry goes ahead: there is nothing more it could ever read
        try (Closing caughtUp = caughtUp()) {
            assertThat(caughtUp.view().awaitCaughtUp(INQUIRY)).isTrue();
        }
    }

    @Test
    void shouldTakeAViewAsBehindUntilItHasReadACommittedRevisionEvenWithAnAbortedWriteAfterIt() throws Exception {
        // given a revision another instance committed, which this one has not read yet, and an aborted write after it
        long committed = write(true);
        write(false);
        readTo.set(committed);

        try (Closing caughtUp = caughtUp()) {
            // then the view is behind, and a write through it would act on the revision before
            assertThat(caughtUp.view().awaitCaughtUp(INQUIRY)).isFalse();

            // and once the listener has read the revision it is caught up
            readTo.set(committed + 1);
            assertThat(caughtUp.view().awaitCaughtUp(INQUIRY)).isTrue();
        }
    }

    @Test
    void shouldTakeAViewAsBehindWhileAnotherWriteOpenOnThePartitionHidesAWithdrawalCommittedAfterIt() throws Exception {
        // given everything before read, then another inquiry's write on the same partition still open on one instance,
        // and a withdrawal of this inquiry committed after it began, on another
        long before = write(true);
        readTo.set(before + 1);
        try (KafkaProducer<String, String> open = producer("caught-up-test-open")) {
            open.initTransactions();
            open.beginTransaction();
            open.send(new ProducerRecord<>(Topics.INQUIRIES.name(), INQUIRY, "another inquiry's write, not committed yet")).get();
            long withdrawal = write(true);

            try (Closing caughtUp = caughtUp()) {
                // then a write of the inquiry does not go ahead: its view cannot have read the withdrawal yet
                assertThat(caughtUp.view().awaitCaughtUp(INQUIRY)).as("while the other write is open").isFalse();

                // and once the other write is committed and the listener has read up to the withdrawal, it does
                open.commitTransaction();
                readTo.set(withdrawal + 1);
                assertThat(caughtUp.view().awaitCaughtUp(INQUIRY)).isTrue();
            }
        }
    }

    @Test
    void shouldAnswerTwoDecisionsAtOnceWhilePairingsBooksAreRebuiltInsteadOfReadingTheMatchesPartitionFromItsStart()
            throws Exception {
        // given many decisions committed on the inquiry's partition of the matches topic
        writeDecisions(20_000);
        // and this instance owns the inquiry, and pairing's books are being rebuilt (a takeover): the position they had
        // read to is forgotten, and the partition is not followed (pairing's books hold it)
        int partition = InquiryPartitions.of(INQUIRY);
        StateRebuild ownership = mock(StateRebuild.class);
        when(ownership.owned()).thenReturn(Set.of(partition));
        when(ownership.rebuilding()).thenReturn(true);
        PairingListener pairing = pairingThatForgotItsPosition();

        try (Closing caughtUp = caughtUp()) {
            DecisionsElsewhere elsewhere = decisionsElsewhere(ownership, caughtUp.view());
            // the position a caseworker's decision waits for, asked as CaseworkerDecisions asks it
            IntToLongFunction decisionsRead = asked -> elsewhere.matchesReadTo(asked, pairing::matchesReadTo);

            // when two caseworkers' decisions on the inquiry ask at the same moment
            List<Boolean> answers = askTogether(() -> caughtUp.view().awaitMatchesRead(INQUIRY, decisionsRead),
                    () -> caughtUp.view().awaitMatchesRead(INQUIRY, decisionsRead));

            // then both are told the books have not read the partition (503, asked again), within the wait: before, each
            // read the partition from offset 0 and then waited out the whole wait, the second behind the first's read
            assertThat(answers).as("the decisions' answers").containsExactly(false, false);
            assertThat(caughtUp.view().probeOpened()).as("the partition read from its start by the shared probe").isFalse();
        }
    }

    @Test
    void shouldAnswerAtOnceWhenAnAbortedBatchMadePairingForgetItsPositionBeforeItsRebuildBegan() throws Exception {
        // given many decisions committed on the inquiry's partition of the matches topic, an inquiry this instance owns,
        // and a batch of pairing's that aborted: its books forgot their position, and wait to be rebuilt (not yet begun)
        writeDecisions(20_000);
        StateRebuild ownership = mock(StateRebuild.class);
        when(ownership.owned()).thenReturn(Set.of(InquiryPartitions.of(INQUIRY)));
        when(ownership.rebuilding()).thenReturn(false);
        PairingListener pairing = pairingThatForgotItsPosition();

        try (Closing caughtUp = caughtUp()) {
            DecisionsElsewhere elsewhere = decisionsElsewhere(ownership, caughtUp.view());

            // when a caseworker's decision on the inquiry asks whether the books have read the partition
            boolean read = caughtUp.view().awaitMatchesRead(INQUIRY, asked -> elsewhere.matchesReadTo(asked, pairing::matchesReadTo));

            // then it is told they have not (503), and is not kept waiting for it
            assertThat(read).as("the books without a position have read the partition").isFalse();
            assertThat(caughtUp.view().probeOpened()).as("the partition read from its start by the shared probe").isFalse();
        }
    }

    @Test
    void shouldGiveUpInsteadOfQueueingPastItsTimeBehindAnotherRequestsProbe() throws Exception {
        // given a revision committed that this instance has not read yet, so a request must ask the probe
        long committed = write(true);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Closing caughtUp = caughtUp()) {
            readTo.set(committed + 1);
            assertThat(caughtUp.view().awaitCaughtUp(INQUIRY)).as("caught up once the revision is read").isTrue();
            readTo.set(committed);

            // and another request holding the probe for longer than the wait (a long read of its own)
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch answered = new CountDownLatch(1);
            AtomicBoolean askedForTheProbe = new AtomicBoolean();
            AtomicBoolean letGo = new AtomicBoolean();
            Future<?> otherRequest = other.submit(() -> {
                caughtUp.view().probeTurn.lock();
                try {
                    holding.countDown();
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (!answered.await(10, TimeUnit.MILLISECONDS) && System.nanoTime() < until) {
                        askedForTheProbe.compareAndSet(false, caughtUp.view().probeTurn.hasQueuedThreads());
                    }
                } finally {
                    letGo.set(true);
                    caughtUp.view().probeTurn.unlock();
                }
                return null;
            });
            assertThat(holding.await(10, TimeUnit.SECONDS)).as("the other request has the probe").isTrue();

            // when a request about the inquiry comes
            boolean caughtUpAnswer = caughtUp.view().awaitCaughtUp(INQUIRY);
            boolean otherStillReading = !letGo.get();
            answered.countDown();
            otherRequest.get(30, TimeUnit.SECONDS);

            // then it asked for the probe, and was answered "not caught up" when its time was up, while the other
            // request still held the probe (before, it waited until the other let it go)
            assertThat(askedForTheProbe).as("the request asked for the probe").isTrue();
            assertThat(caughtUpAnswer).as("the view taken as caught up without the probe").isFalse();
            assertThat(otherStillReading).as("answered before the other request let the probe go").isTrue();
        } finally {
            other.shutdownNow();
        }
    }

    /** Pairing's listener as an aborted batch or a rebuild leaves it: no position on any matches partition. */
    private static PairingListener pairingThatForgotItsPosition() {
        return new PairingListener(null, null, null, null, null, new SimpleMeterRegistry(), null, null);
    }

    private static DecisionsElsewhere decisionsElsewhere(StateRebuild ownership, InquiriesCaughtUp caughtUp) {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(broker.getBrokersAsString()));
        Clock clock = Clock.fixed(Instant.parse("2026-12-06T08:00:00Z"), ZoneOffset.UTC);
        Facts facts = new Facts(new MatchScorer(), new InquiryBook(), id -> false);
        MatchBook own = new MatchBook(0.0, clock, facts);
        return new DecisionsElsewhere(kafka, ownership, own, new AlertBook(facts, new InquiryBook(), own, clock, AlertBook.Counter.NONE),
                clock, () -> caughtUp);
    }

    /** Asks both at the same moment, each on its own thread; their answers in order. */
    private static List<Boolean> askTogether(Callable<Boolean> first, Callable<Boolean> second) throws Exception {
        ExecutorService requests = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> asked = requests.invokeAll(List.of(first, second), 30, TimeUnit.SECONDS);
            return List.of(asked.get(0).get(), asked.get(1).get());
        } finally {
            requests.shutdownNow();
        }
    }

    /** Decisions committed on the inquiry's partition of the matches topic, in one transaction. */
    private static void writeDecisions(int count) throws Exception {
        try (KafkaProducer<String, String> producer = producer("caught-up-test-decisions")) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(Topics.MATCHES.name(), INQUIRY, "a decision"));
            }
            producer.commitTransaction();
        }
    }

    private static KafkaProducer<String, String> producer(String transactionalId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId), new StringSerializer(), new StringSerializer());
    }

    /** The offset of the record written, in a transaction of its own that commits or aborts. */
    private static long write(boolean commit) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "caught-up-test-" + commit), new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            long offset = producer.send(new ProducerRecord<>(Topics.INQUIRIES.name(), INQUIRY, "revision")).get().offset();
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
            return offset;
        }
    }

    private Closing caughtUp() {
        int partition = InquiryPartitions.of(INQUIRY);
        return new Closing(new InquiriesCaughtUp(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                asked -> asked == partition ? readTo.get() : 0L));
    }

    private record Closing(InquiriesCaughtUp view) implements AutoCloseable {
        @Override
        public void close() {
            view.destroy();
        }
    }
}
