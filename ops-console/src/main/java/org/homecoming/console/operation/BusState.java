package org.homecoming.console.operation;

import org.homecoming.events.transport.Movement;

/** How far a bus has come, in the order a journey goes. A late or repeated event never moves a bus back. */
public enum BusState {
    REGISTERED, DEPARTED, CHECKPOINT_PASSED, BORDER_CROSSED, ARRIVED;

    /** The state a movement proves, or null for movements that say nothing about progress. */
    static BusState reachedBy(Movement movement) {
        switch (movement) {
            case DEPARTED:
                return DEPARTED;
            case CHECKPOINT_PASSED:
                return CHECKPOINT_PASSED;
            case BORDER_CROSSED:
                return BORDER_CROSSED;
            case ARRIVED:
                return ARRIVED;
            default:
                return null;
        }
    }

    BusState furthest(BusState other) {
        return other == null || other.ordinal() <= ordinal() ? this : other;
    }
}
