package org.homecoming.reunification.pairing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.testkit.KraftBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;

/** When an instance's view of an inquiry's partition has caught up with the topic, aborted writes there included. */
class InquiriesCaughtUpTest {

    private static final String INQUIRY = "inq-caught-up";

    private static EmbeddedKafkaKraftBroker broker;
    private final AtomicLong readTo = new AtomicLong();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KraftBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            admin.createTopics(List.of(new NewTopic(Topics.INQUIRIES.name(), Topics.INQUIRIES.partitions(), (short) 1))).all().get();
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
