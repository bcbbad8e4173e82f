package org.homecoming.roster.rounds;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.homecoming.events.common.Side;
import org.homecoming.events.roster.ExchangeRoundRecorded;
import org.homecoming.events.roster.RoundStatus;

/**
 * One direction of one stage of an exchange agreement: the persons that {@code releasingSide} frees to
 * {@code receivingSide} on {@code exchangeDate}, with the planned counts by category.
 */
public record ExchangeRound(String roundId, String agreementReference, int stage, int stageCount,
                            LocalDate exchangeDate, Side releasingSide, Side receivingSide,
                            int plannedSoldiers, int plannedCivilians, RoundStatus status, Instant recordedAt) {

    /**
     * PLANNED → IN_PROGRESS → COMPLETED, and CANCELLED from PLANNED only. Cancelling takes everyone off the round's
     * lists; once the round is under way buses may have crossed, and people handed over at the reception point would
     * be withdrawn: reunification would hold their families' matches and never match a relative who asks afterwards.
     * An exchange halted midway is amended (withdrawing who did not travel) and then COMPLETED.
     */
    private static final Map<RoundStatus, Set<RoundStatus>> NEXT = Map.of(
            RoundStatus.PLANNED, EnumSet.of(RoundStatus.IN_PROGRESS, RoundStatus.CANCELLED),
            RoundStatus.IN_PROGRESS, EnumSet.of(RoundStatus.COMPLETED),
            RoundStatus.COMPLETED, EnumSet.noneOf(RoundStatus.class),
            RoundStatus.CANCELLED, EnumSet.noneOf(RoundStatus.class));

    /** Lists may be published and amended only until the buses have arrived or the round was called off. */
    public boolean acceptsLists() {
        return status == RoundStatus.PLANNED || status == RoundStatus.IN_PROGRESS;
    }

    boolean canBecome(RoundStatus next) {
        return NEXT.get(status).contains(next);
    }

    Set<RoundStatus> allowedNext() {
        return NEXT.get(status);
    }

    ExchangeRound withStatus(RoundStatus next, Instant at) {
        return new ExchangeRound(roundId, agreementReference, stage, stageCount, exchangeDate, releasingSide,
                receivingSide, plannedSoldiers, plannedCivilians, next, at);
    }

    /** Whether two rounds describe the same agreement terms, whatever their status and time. */
    boolean sameTermsAs(ExchangeRound other) {
        return roundId.equals(other.roundId) && agreementReference.equals(other.agreementReference)
                && stage == other.stage && stageCount == other.stageCount
                && exchangeDate.equals(other.exchangeDate) && releasingSide == other.releasingSide
                && receivingSide == other.receivingSide && plannedSoldiers == other.plannedSoldiers
                && plannedCivilians == other.plannedCivilians;
    }

    ExchangeRoundRecorded toEvent() {
        return ExchangeRoundRecorded.newBuilder()
                .setRoundId(roundId)
                .setAgreementReference(agreementReference)
                .setStage(stage)
                .setStageCount(stageCount)
                .setExchangeDate(exchangeDate)
                .setReleasingSide(releasingSide)
                .setReceivingSide(receivingSide)
                .setPlannedSoldiers(plannedSoldiers)
                .setPlannedCivilians(plannedCivilians)
                .setStatus(status)
                .setRecordedAt(recordedAt)
                .build();
    }

    static ExchangeRound from(ExchangeRoundRecorded event) {
        return new ExchangeRound(event.getRoundId(), event.getAgreementReference(), event.getStage(),
                event.getStageCount(), event.getExchangeDate(), event.getReleasingSide(), event.getReceivingSide(),
                event.getPlannedSoldiers(), event.getPlannedCivilians(), event.getStatus(), event.getRecordedAt());
    }
}
