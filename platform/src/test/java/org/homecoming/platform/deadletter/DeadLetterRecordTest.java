package org.homecoming.platform.deadletter;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.testkit.KraftBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/** What a service remembers of the records it dead-lettered: each once, a failed send not counted, bounded however many there are. */
class DeadLetterRecordTest {

    private static final String TOPIC = "intake.flooded-readings";
    private static final String DEAD_LETTER_TOPIC = TOPIC + "-dlt";

    private static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KraftBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1), new NewTopic(DEAD_LETTER_TOPIC, 1, (short) 1)))
                    .all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void shouldRememberAFloodOfDeadLettersAsOneRunAndStillKnowEachOfThem() {
        try (DeadLetterRecord record = new DeadLetterRecord(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            // given a partner whose every reading is junk: 2,000 records in a row on one partition, in no order
            for (long offset = 0; offset < 2_000; offset += 2) {
                assertThat(record.firstTime(reading(0, offset), DEAD_LETTER_TOPIC)).isTrue();
            }
            for (long offset = 1; offset < 2_000; offset += 2) {
                assertThat(record.firstTime(reading(0, offset), DEAD_LETTER_TOPIC)).isTrue();
            }

            // then they are remembered as one run, and each of them still goes to the dead-letter topic only once
            assertThat(record.runs()).isEqualTo(1);
            assertThat(record.firstTime(reading(0, 1_234), DEAD_LETTER_TOPIC)).isFalse();
            assertThat(record.contains(reading(0, 0), DEAD_LETTER_TOPIC)).isTrue();
            assertThat(record.contains(reading(0, 1_999), DEAD_LETTER_TOPIC)).isTrue();
            // and neither the next record nor the same offset of another partition counts as dead-lettered
            assertThat(record.contains(reading(0, 2_000), DEAD_LETTER_TOPIC)).isFalse();
            assertThat(record.contains(reading(1, 5), DEAD_LETTER_TOPIC)).isFalse();
        }
    }

    @Test
    void shouldForgetAPartitionsLowestOffsetsOnceItHoldsTooManyRuns() {
        try (DeadLetterRecord record = new DeadLetterRecord(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), 100)) {
            // given junk interleaved with good readings: every other offset, 300 runs of one record each
            for (long offset = 0; offset < 600; offset += 2) {
                record.firstTime(reading(0, offset), DEAD_LETTER_TOPIC);
            }

            // then the partition keeps its newest 100 runs only
            assertThat(record.runs()).isEqualTo(100);
            assertThat(record.contains(reading(0, 598), DEAD_LETTER_TOPIC)).isTrue();
            assertThat(record.contains(reading(0, 400), DEAD_LETTER_TOPIC)).isTrue();
            assertThat(record.contains(reading(0, 398), DEAD_LETTER_TOPIC)).as("forgotten: older than the newest 100").isFalse();
        }
    }

    @Test
    void shouldSendADeadLetterAgainWhenTheFirstSendFailed() {
        try (DeadLetterRecord record = new DeadLetterRecord(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            // given a dead-letter topic that cannot be written at the first attempt (a broker away, a send timed out)
            DeadLetterPublishingRecoverer publisher = mock(DeadLetterPublishingRecoverer.class);
            doThrow(new KafkaException("Dead-letter publication failed")).doNothing().when(publisher).accept(any(), any());
            DeadLetters deadLetters = new DeadLetters(publisher, null, List.of(), record);
            record.firstTime(reading(1, 9), DEAD_LETTER_TOPIC);
            record.firstTime(reading(1, 11), DEAD_LETTER_TOPIC);
            ConsumerRecord<String, byte[]> junk = reading(1, 10);
            Exception unreadable = new IllegalStateException("artifact reference cannot be null");

            // when the error handler reads the record again after the failed send
            assertThatThrownBy(() -> deadLetters.accept(junk, unreadable)).isInstanceOf(KafkaException.class);
            deadLetters.accept(junk, unreadable);

            // then the second attempt sent it: the failed one did not count as sent
            verify(publisher, times(2)).accept(junk, unreadable);
            assertThat(record.contains(junk, DEAD_LETTER_TOPIC)).isTrue();
            // and the records dead-lettered either side of it are still known
            assertThat(record.contains(reading(1, 9), DEAD_LETTER_TOPIC)).isTrue();
            assertThat(record.contains(reading(1, 11), DEAD_LETTER_TOPIC)).isTrue();
        }
    }

    private static ConsumerRecord<String, byte[]> reading(int partition, long offset) {
        return new ConsumerRecord<>(TOPIC, partition, offset, "bus-" + offset, new byte[] {0x7f});
    }
}
