package org.homecoming.console.operation;

import java.util.List;

/** The operation at one moment: immutable, safe to serialize and to hand to any thread. */
public record OperationSnapshot(List<RoundView> rounds, List<BusView> buses, AlertFigures alerts) {
}
