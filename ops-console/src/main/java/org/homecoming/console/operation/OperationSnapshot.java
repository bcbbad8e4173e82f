package org.homecoming.console.operation;

import java.util.List;

/** The operation at one moment: rounds, buses, alert figures and what is still open. */
public record OperationSnapshot(List<RoundView> rounds, List<BusView> buses, AlertFigures alerts, OpenIssues issues) {
}
