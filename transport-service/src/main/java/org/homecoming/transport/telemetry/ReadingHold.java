package org.homecoming.transport.telemetry;

import org.homecoming.platform.holding.HoldingSettings;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;

/**
 * How long readings of a bus without a manifest are held, and where they go when the time is up: a tracker may report
 * before the transport officer's manifest is read (the manifest table is filled by another thread, from another
 * topic).
 *
 * @param settings    the platform's holding window, capacity and check interval
 * @param deadLetters the platform's dead-letter policy, for the readings whose bus never became known
 */
public record ReadingHold(HoldingSettings settings, ConsumerRecordRecoverer deadLetters) {
}
