package org.homecoming.testkit;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.kafka.core.KafkaOperations.OperationsCallback;
import org.springframework.kafka.core.KafkaTemplate;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

/**
 * Makes a mocked {@link KafkaTemplate} run a transaction's work inline, and tells whether a call happens inside it.
 * For tests that check an audit entry is written in the same Kafka transaction as the action it records.
 */
public final class InlineTransactions {

    private final AtomicBoolean open = new AtomicBoolean();

    private InlineTransactions() {
    }

    /** Stubs {@code executeInTransaction} of the mock so it runs its callback against the mock itself. */
    public static InlineTransactions runOn(KafkaTemplate<String, Object> kafka) {
        InlineTransactions transactions = new InlineTransactions();
        when(kafka.executeInTransaction(any())).thenAnswer(call -> {
            transactions.open.set(true);
            try {
                return call.<OperationsCallback<String, Object, ?>>getArgument(0).doInOperations(kafka);
            } finally {
                transactions.open.set(false);
            }
        });
        return transactions;
    }

    /** Whether the calling code is inside a transaction's work right now. */
    public boolean isOpen() {
        return open.get();
    }
}
