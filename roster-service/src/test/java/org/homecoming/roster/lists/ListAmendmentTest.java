package org.homecoming.roster.lists;

import java.util.List;
import java.util.Map;

import org.homecoming.events.common.PersonCategory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ListAmendmentTest {

    static final ListEntry PETRENKO = entry("UA-1", "Петренко", "Олександр");
    static final ListEntry KOVAL = entry("UA-2", "Коваль", "Іван");
    static final ListEntry MELNYK = entry("UA-3", "Мельник", "Петро");

    @Test
    void shouldListEveryoneOfANewList() {
        ListAmendment amendment = ListAmendment.between(Map.of(), List.of(PETRENKO, KOVAL));

        assertThat(amendment.listed()).containsExactly(PETRENKO, KOVAL);
        assertThat(amendment.withdrawn()).isEmpty();
        assertThat(amendment.corrected()).isEmpty();
    }

    @Test
    void shouldFindOnlyTheDifferencesOfANewVersion() {
        ListEntry kovalCorrected = entry("UA-2", "Коваль", "Іванна");
        ListEntry bondar = entry("UA-4", "Бондар", "Тарас");

        ListAmendment amendment = ListAmendment.between(
                Map.of(PETRENKO.personId(), PETRENKO, KOVAL.personId(), KOVAL, MELNYK.personId(), MELNYK),
                List.of(PETRENKO, kovalCorrected, bondar));

        assertThat(amendment.listed()).as("new on the list").containsExactly(bondar);
        assertThat(amendment.corrected()).as("changed details, with the new details").containsExactly(kovalCorrected);
        assertThat(amendment.withdrawn()).as("gone from the list, as they were listed").containsExactly(MELNYK);
        assertThat(amendment.size()).isEqualTo(3);
    }

    @Test
    void shouldFindNothingInTheSameListInAnotherOrder() {
        ListAmendment amendment = ListAmendment.between(
                Map.of(PETRENKO.personId(), PETRENKO, KOVAL.personId(), KOVAL), List.of(KOVAL, PETRENKO));

        assertThat(amendment.isEmpty()).as("an identical list changes nothing: " + amendment).isTrue();
    }

    @Test
    void shouldWithdrawEveryoneWhenTheNewVersionIsEmpty() {
        ListAmendment amendment = ListAmendment.between(Map.of(PETRENKO.personId(), PETRENKO), List.of());

        assertThat(amendment.withdrawn()).containsExactly(PETRENKO);
    }

    static ListEntry entry(String personId, String surname, String givenName) {
        return new ListEntry(personId, surname, givenName, null, null, null, null, null, PersonCategory.SOLDIER,
                null, null, null);
    }
}
