package org.homecoming.reunification.pairing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.homecoming.platform.holding.HeldRecords;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The pairing startup step gates readiness: Boot turns readiness UP only once every lifecycle bean's start returned,
 * so whatever runs inside it comes before the service says it is ready.
 */
class PairingStartupTest {

    final PairingListener listener = mock(PairingListener.class);
    final KafkaListenerEndpointRegistry registry = mock(KafkaListenerEndpointRegistry.class);
    final MessageListenerContainer container = mock(MessageListenerContainer.class);
    final HeldRecords held = mock(HeldRecords.class);
    final ArrivalWarmUp warmUp = mock(ArrivalWarmUp.class);
    final SchemaLookups schemaLookups = mock(SchemaLookups.class);
    final PairingStartup startup = new PairingStartup(listener, registry, held, warmUp, schemaLookups);

    @Test
    void shouldWarmUpLookUpSchemasAndReadBackTheReconciliationAfterTheFirstRebuildAndBeforeTheStepCountsAsStarted() throws Exception {
        when(registry.getListenerContainer(PairingListener.ID)).thenReturn(container);
        when(listener.awaitFirstRebuild(any(Duration.class))).thenReturn(true);
        List<Boolean> startedWhileWarmingUp = new ArrayList<>();
        doAnswer(invocation -> startedWhileWarmingUp.add(startup.isRunning())).when(warmUp).runOnce();
        List<Boolean> startedWhileLookingUp = new ArrayList<>();
        doAnswer(invocation -> startedWhileLookingUp.add(startup.isRunning())).when(schemaLookups).runOnce();
        List<Boolean> startedWhileReadingBack = new ArrayList<>();
        when(listener.awaitReconciledReadBack(any(Duration.class))).thenAnswer(invocation -> startedWhileReadingBack.add(startup.isRunning()));

        startup.start();

        InOrder order = inOrder(container, listener, warmUp, schemaLookups);
        order.verify(container).start();
        order.verify(listener).awaitFirstRebuild(any(Duration.class));
        order.verify(warmUp).runOnce();
        order.verify(schemaLookups).runOnce();
        order.verify(listener).awaitReconciledReadBack(any(Duration.class));
        assertThat(startedWhileWarmingUp).as("the step was not yet started (readiness not yet UP) while warming up")
                .containsExactly(false);
        assertThat(startedWhileLookingUp).as("nor while the serdes looked their schemas up").containsExactly(false);
        assertThat(startedWhileReadingBack).as("nor while the reconciliation's decisions were read back")
                .containsExactly(false);
        assertThat(startup.isRunning()).isTrue();
    }

    @Test
    void shouldNeitherWarmUpNorStartWhenNoPartitionsCame() throws Exception {
        when(registry.getListenerContainer(PairingListener.ID)).thenReturn(container);
        when(listener.awaitFirstRebuild(any(Duration.class))).thenReturn(false);

        assertThatThrownBy(startup::start).isInstanceOf(IllegalStateException.class);

        verify(warmUp, never()).runOnce();
        verify(schemaLookups, never()).runOnce();
        assertThat(startup.isRunning()).isFalse();
    }
}
