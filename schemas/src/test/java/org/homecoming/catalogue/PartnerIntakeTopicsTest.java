package org.homecoming.catalogue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

import org.homecoming.catalogue.Topic.Owner;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.BusPositionReported;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartnerIntakeTopicsTest {

    @Test
    void shouldGiveEachPartnerAnIntakeTopicOfItsOwnWithTheIntakeSettings() {
        Topic<String, BusPositionReported> intake = Topics.busPositionIntake("partner-a");

        assertThat(intake.name()).isEqualTo("intake.bus-positions.partner-a");
        assertThat(intake.deadLetterTopic()).isEqualTo("intake.bus-positions.partner-a-dlt");
        assertThat(intake.valueSubject()).isEqualTo("intake.bus-positions.partner-a-value");
        assertThat(intake.owner()).isEqualTo(Owner.PARTNERS);
        assertThat(intake.partitions()).isEqualTo(Topics.BUS_POSITIONS.partitions());
        assertThat(intake.compacted()).isFalse();
        assertThat(intake.retention()).contains(Duration.ofDays(1));
        assertThat(intake.bytesPerPartition()).as("what one partner's flood can put on the disk is bounded").contains(1L << 30);
        assertThat(Topics.ALL).allSatisfy(topic -> assertThat(topic.bytesPerPartition()).as(topic.name()).isEmpty());
        assertThat(Topics.intakePartner(intake.name())).contains("partner-a");
    }

    @Test
    void shouldGiveEachPartnerAMovementsTopicOfItsOwnThatTransportWrites() {
        Topic<String, BusMovementDetected> movements = Topics.busMovementsFor("partner-a");

        assertThat(movements.name()).isEqualTo("outbound.bus-movements.partner-a");
        assertThat(movements.owner()).isEqualTo(Owner.TRANSPORT);
        assertThat(movements.valueType()).isEqualTo(Topics.BUS_MOVEMENTS.valueType());
        assertThat(movements.retention()).contains(Duration.ofDays(30));
        assertThat(Topics.movementsPartner(movements.name())).contains("partner-a");
        assertThat(Topics.movementsPartner(movements.deadLetterTopic())).isEmpty();
        assertThat(Topics.intakePartner(movements.name())).isEmpty();
        assertThat(Topics.find("outbound.bus-movements.partner-b")).map(Topic::name).contains("outbound.bus-movements.partner-b");
        assertThat(Topics.find("outbound.bus-movements")).isEmpty();
        assertThatThrownBy(() -> Topics.busMovementsFor("partner-a-dlt")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldListThePartnersIntakeTopicsAfterTheFixedOnesAndNoSharedOne() {
        List<Topic<?, ?>> topics = Topics.all(List.of("partner-a", "partner-b", "partner-a"));

        assertThat(topics).hasSize(Topics.ALL.size() + 4);
        assertThat(Topics.ownedBy(Owner.TRANSPORT, List.of("partner-a"))).extracting(Topic::name)
                .contains("outbound.bus-movements.partner-a").doesNotContain("outbound.bus-movements.partner-b");
        assertThat(topics).extracting(Topic::name).contains("intake.bus-positions.partner-a", "intake.bus-positions.partner-b")
                .doesNotContain("intake.bus-positions");
        assertThat(Topics.ownedBy(Owner.PARTNERS, List.of("partner-a"))).extracting(Topic::name)
                .containsExactly("intake.bus-positions.partner-a");
        assertThat(Topics.find("intake.bus-positions.partner-b")).map(Topic::name).contains("intake.bus-positions.partner-b");
    }

    @Test
    void shouldReadTheConfiguredPartnersFromACommaSeparatedList() {
        assertThat(Topics.partners(" partner-a, partner-b,,partner-a ")).containsExactly("partner-a", "partner-b");
        assertThat(Topics.partners("")).isEmpty();
        assertThat(Topics.partners(null)).isEmpty();
    }

    @Test
    void shouldRefuseAPartnerNameThatWouldMakeAnotherPartnersDeadLetterTopicOrBreakTheName() {
        for (String name : List.of("partner-a-dlt", "a.b", "", "p".repeat(65), "../x", "x y")) {
            assertThat(Topics.isPartnerName(name)).as(name).isFalse();
            assertThatThrownBy(() -> Topics.busPositionIntake(name)).isInstanceOf(IllegalArgumentException.class);
        }
        // a dead-letter topic names no partner, so nothing reads it as an intake topic
        assertThat(Topics.intakePartner("intake.bus-positions.partner-a-dlt")).isEqualTo(Optional.empty());
        assertThat(Topics.intakePartner("intake.bus-positions")).isEmpty();
        assertThat(Topics.find("intake.bus-positions")).isEmpty();
    }

    @Test
    void shouldAcceptAsAPartnerNameExactlyWhatTheDocumentedRuleAccepts() {
        Pattern rule = Pattern.compile(Topics.PARTNER_NAME);
        String alphabet = "aZ09_-.d lt/Ж\u0000";
        Random random = new Random(20261201);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(70);
            for (int j = 0; j < length; j++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String candidate = random.nextInt(10) == 0 ? name + "-dlt" : name.toString();
            boolean expected = rule.matcher(candidate).matches() && !candidate.endsWith("-dlt");
            assertThat(Topics.isPartnerName(candidate)).as("'%s'", candidate).isEqualTo(expected);
        }
        assertThat(Topics.isPartnerName("p".repeat(64))).isTrue();
    }
}
