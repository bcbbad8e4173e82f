package org.homecoming.transport.telemetry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HoldSharesTest {

    static final String PARTNER_A = "intake.bus-positions.partner-a";
    static final String PARTNER_B = "intake.bus-positions.partner-b";

    @Test
    void shouldStillAdmitAnotherPartnersReadingWhenOnePartnerFilledItsShare() {
        // given a hold of 100 readings shared by two partners, and partner-a holding as many as it may
        HoldShares shares = new HoldShares(100, 1_000_000, 2);
        for (int i = 0; i < 50; i++) {
            assertThat(shares.admits(PARTNER_A, 100)).as("partner-a's reading %d fits its share", i).isTrue();
            shares.held(PARTNER_A, 100);
        }

        // then partner-a is refused, while partner-b has its whole share
        assertThat(shares.admits(PARTNER_A, 100)).as("partner-a's share is full").isFalse();
        assertThat(shares.admits(PARTNER_B, 100)).as("partner-b's share is untouched by partner-a's flood").isTrue();
        for (int i = 0; i < 50; i++) {
            shares.held(PARTNER_B, 100);
        }
        assertThat(shares.admits(PARTNER_B, 100)).isFalse();
        assertThat(shares.total()).as("the whole hold never exceeds its bound").isEqualTo(new HoldShares.Share(100, 10_000));
    }

    @Test
    void shouldBoundEachPartnersBytesByItsShareOfTheBytes() {
        HoldShares shares = new HoldShares(100, 1_000, 2);
        shares.held(PARTNER_A, 400);

        assertThat(shares.admits(PARTNER_A, 100)).as("400 + 100 bytes fit a share of 500").isTrue();
        assertThat(shares.admits(PARTNER_A, 101)).as("400 + 101 bytes do not").isFalse();
        assertThat(shares.admits(PARTNER_B, 500)).as("partner-b's 500 bytes are its own").isTrue();
        assertThat(shares.limit()).isEqualTo(new HoldShares.Share(50, 500));
    }

    @Test
    void shouldGiveRoomBackWhenAReadingLeavesTheHold() {
        HoldShares shares = new HoldShares(2, 1_000, 2);
        shares.held(PARTNER_A, 100);
        assertThat(shares.admits(PARTNER_A, 100)).isFalse();

        shares.released(PARTNER_A, 100);

        assertThat(shares.admits(PARTNER_A, 100)).as("room again once the reading went on or was dead-lettered").isTrue();
        assertThat(shares.of(PARTNER_A)).isEqualTo(new HoldShares.Share(0, 0));
    }

    @Test
    void shouldCountReadingsFromASourceOutsideTheSplitWithoutLettingThemTakeAnotherPartnersShare() {
        // rows held by an earlier version (another partner set, the old shared topic) are counted where they came from
        HoldShares shares = new HoldShares(100, 1_000_000, 2);
        for (int i = 0; i < 100; i++) {
            shares.held("intake.bus-positions", 100);
        }

        assertThat(shares.admits(PARTNER_A, 100)).isTrue();
        assertThat(shares.admits(PARTNER_B, 100)).isTrue();
        assertThat(shares.total().readings()).isEqualTo(100);
    }

    @Test
    void shouldRefuseACapacitySmallerThanTheNumberOfPartners() {
        assertThatThrownBy(() -> new HoldShares(2, 1_000, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("homecoming.holding.capacity (2) is smaller than the number of partners (3)");
    }
}
