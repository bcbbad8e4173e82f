package org.homecoming.console.operation;

import java.time.LocalDate;

/**
 * One exchange round as the console shows it. The round's own fields are null until the round's record
 * from roster has been read; its funnel is known from the person events alone.
 */
public record RoundView(String roundId, Integer stage, Integer stageCount, LocalDate exchangeDate,
                        String releasingSide, String receivingSide, String status, Integer plannedPersons,
                        Funnel funnel) {
}
