package org.homecoming.console.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import org.homecoming.catalogue.Topic;
import org.homecoming.platform.deadletter.DeadLetterPolicy;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.CompositeRecordInterceptor;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The console's own listener container: Boot's consumer factory (so the serdes, read_committed and the
 * Kafka client metrics such as {@code kafka_consumer_fetch_manager_records_lag_max} are the platform's),
 * but with an error handler that skips and counts instead of the platform's dead-letter policy.
 */
@Configuration(proxyBeanMethods = false)
class ObserverConsumerConfiguration {

    static final String CONTAINER_FACTORY = "observerContainerFactory";

    @Bean
    ObservedTopics observedTopics() {
        return new ObservedTopics();
    }

    @Bean
    UnreadableRecords unreadableRecords(MeterRegistry meters) {
        // The platform's dead-letter counter, at zero for the console's topics: the series exists from the
        // start (dashboards need that), and stays at zero because the console never dead-letters.
        for (Topic<?, ?> topic : ObservedTopics.OBSERVED) {
            DeadLetters.counter(meters, topic.name());
        }
        return new UnreadableRecords(meters);
    }

    @Bean
    PictureCatchUp pictureCatchUp() {
        return new PictureCatchUp();
    }

    @Bean
    PictureHealthIndicator pictureHealthIndicator(PictureCatchUp catchUp) {
        return new PictureHealthIndicator(catchUp);
    }

    @Bean
    FoldedPositions foldedPositions() {
        return new FoldedPositions();
    }

    @Bean(CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> observerContainerFactory(
            ConsumerFactory<Object, Object> consumerFactory, UnreadableRecords unreadable, PictureCatchUp catchUp,
            FoldedPositions folded) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumerFactory);
        // Manual acknowledgement that never comes: the console commits no offset (see ObservedTopics).
        factory.getContainerProperties().setAckMode(AckMode.MANUAL);
        // No retry: reading the same bytes again cannot succeed, and the picture must not stall. Except a record
        // unread only because the schema registry was away: skipping it would leave the picture without it for good,
        // so it is read again until the registry answers, as the services do (DeadLetterPolicy).
        DefaultErrorHandler skipAndCount = DeadLetterPolicy.errorHandler(unreadable, new FixedBackOff(0L, 0L));
        skipAndCount.setAckAfterHandle(false);
        factory.setCommonErrorHandler(skipAndCount);
        // told before every poll where the consumer is, so readiness waits for the fold (PictureHealthIndicator)
        // and where each partition's fold stands, so partitions given back are read on from there, not again from their start
        factory.setRecordInterceptor(new CompositeRecordInterceptor<>(catchUp, folded));
        factory.getContainerProperties().setConsumerRebalanceListener(folded);
        return factory;
    }
}
