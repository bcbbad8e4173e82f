package org.homecoming.roster.lists;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.Side;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.ReleaseListPublished;
import org.homecoming.events.roster.RoundStatus;
import org.homecoming.platform.web.Violation;
import org.homecoming.roster.lists.ReleaseListValidator.Checked;
import org.homecoming.roster.rounds.ExchangeRound;
import org.homecoming.synthetic.lists.ListCsv;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ReleaseListValidatorTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 27);
    static final String HEADER = ListCsv.HEADER;
    static final String GOOD = "UA-1,Петренко,Олександр,Іванович,Petrenko,Oleksandr,Ivanovych,1990-04-12,SOLDIER,в/ч А0000,"
            + "\"Вовчанськ, Харківська обл.\",2024-06-03\n";

    @Test
    void shouldTurnAValidRowIntoAnEntry() {
        Checked checked = check(HEADER + GOOD);

        assertThat(checked.violations()).isEmpty();
        assertThat(checked.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.personId()).isEqualTo("UA-1");
            assertThat(entry.birthDate()).isEqualTo(LocalDate.of(1990, 4, 12));
            assertThat(entry.category()).isEqualTo(PersonCategory.SOLDIER);
            assertThat(entry.capturePlace()).isEqualTo("Вовчанськ, Харківська обл.");
        });
    }

    @Test
    void shouldNameEveryMissingRequiredValue() {
        Checked checked = check(HEADER + "UA-2,,,,,,,,,,,\n" + "UA-3,Коваль,,,,,,,CIVILIAN,,,\n");

        assertThat(checked.violations()).extracting(Violation::row, Violation::field, Violation::reason)
                .containsExactlyInAnyOrder(
                        tuple(2, "surname", "is required"),
                        tuple(2, "givenName", "is required"),
                        tuple(2, "category", "is required"),
                        tuple(3, "givenName", "is required"));
        assertThat(checked.entries()).isEmpty();
    }

    @Test
    void shouldAcceptIsoAndDottedDatesAndNameEveryOtherDate() {
        Checked checked = check(HEADER
                + "UA-1,Петренко,Олександр,,,,,12.04.1990,SOLDIER,,,03.06.2024\n"
                + "UA-2,Коваль,Іван,,,,,1990/04/12,SOLDIER,,,2023-02-30\n"
                + "UA-3,Мельник,Петро,,,,,1890-01-01,SOLDIER,,,2027-01-01\n"
                + "UA-4,Бойко,Андрій,,,,,2000-01-01,SOLDIER,,,1999-12-31\n");

        assertThat(checked.entries()).extracting(ListEntry::personId).containsExactly("UA-1");
        assertThat(checked.entries().get(0).birthDate()).isEqualTo(LocalDate.of(1990, 4, 12));
        assertThat(checked.violations()).extracting(Violation::row, Violation::field)
                .containsExactlyInAnyOrder(
                        tuple(3, "birthDate"), tuple(3, "captureDate"),
                        tuple(4, "birthDate"), tuple(4, "captureDate"),
                        tuple(5, "captureDate"));
        assertThat(checked.violations()).filteredOn(violation -> violation.row() == 3 && violation.field().equals("captureDate"))
                .singleElement().satisfies(violation -> assertThat(violation.reason()).as("February 30 is no date")
                        .contains("is not a date"));
        assertThat(checked.violations()).extracting(Violation::reason).as("a reason names what is expected, never the value")
                .allSatisfy(reason -> assertThat(reason).doesNotContain("1990", "1890", "2023", "2027", "1999", "2000"));
    }

    @Test
    void shouldRefuseAnUnknownCategoryButAcceptAnyCase() {
        Checked checked = check(HEADER + "UA-1,Петренко,Олександр,,,,,,soldier,,,\nUA-2,Коваль,Іван,,,,,,MEDIC,,,\n");

        assertThat(checked.entries()).extracting(ListEntry::category).containsExactly(PersonCategory.SOLDIER);
        assertThat(checked.violations()).extracting(Violation::row, Violation::field)
                .containsExactly(tuple(3, "category"));
    }

    @Test
    void shouldNameEveryRepetitionOfAPersonWithinTheList() {
        Checked checked = check(HEADER + GOOD + GOOD.replace("Петренко", "Петрено") + GOOD);

        assertThat(checked.violations()).extracting(Violation::row, Violation::reason).containsExactly(
                tuple(3, "person UA-1 is already on row 2 of this list"),
                tuple(4, "person UA-1 is already on row 2 of this list"));
    }

    @Test
    void shouldRequireSurnameAndGivenNameInLatinWhenAnyLatinPartIsGiven() {
        Checked checked = check(HEADER + "UA-1,Петренко,Олександр,Іванович,,,Ivanovych,,SOLDIER,,,\n");

        assertThat(checked.violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("surnameLatin", "givenNameLatin");
    }

    @Test
    void shouldRefuseMalformedIdsOfListAndPerson() {
        ListUpload upload = ReleaseListCsv.read((HEADER + GOOD.replace("UA-1", "UA 1")).getBytes(StandardCharsets.UTF_8),
                "list/1", null);

        assertThat(ReleaseListValidator.entries(upload, TODAY).violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("listId", "personId");
    }

    @Test
    void shouldRefuseAListForAnUnknownRound() {
        Checked checked = check(HEADER + GOOD);

        List<Violation> violations = againstRound(null, checked, null, List.of());

        assertThat(violations).extracting(Violation::field, Violation::reason)
                .containsExactly(tuple("roundId", "there is no exchange round round-1"));
    }

    @Test
    void shouldRefuseAListForARoundThatNoLongerTakesLists() {
        Checked checked = check(HEADER + GOOD);

        assertThat(againstRound(round(RoundStatus.COMPLETED, 270, 120), checked, null, List.of()))
                .extracting(Violation::field).containsExactly("roundId");
        assertThat(againstRound(round(RoundStatus.CANCELLED, 270, 120), checked, null, List.of()))
                .extracting(Violation::field).containsExactly("roundId");
        assertThat(againstRound(round(RoundStatus.IN_PROGRESS, 270, 120), checked, null, List.of())).isEmpty();
    }

    @Test
    void shouldRefuseAReleasingSideOtherThanTheRounds() {
        ListUpload upload = upload(HEADER + GOOD, Side.UA);
        Checked checked = ReleaseListValidator.entries(upload, TODAY);

        List<Violation> violations = ReleaseListValidator.againstRound("round-1", round(RoundStatus.PLANNED, 270, 120),
                upload, null, List.of(), List.of(), checked.entries());

        assertThat(violations).extracting(Violation::field).containsExactly("releasingSide");
    }

    @Test
    void shouldRefuseAPersonWhoIsOnAnotherListOfTheRound() {
        Checked checked = check(HEADER + GOOD + GOOD.replace("UA-1", "UA-2"));
        ReleaseList other = listWith("list-other", "round-1", checked.entries().get(1));

        List<Violation> violations = againstRound(round(RoundStatus.PLANNED, 270, 120), checked, null, List.of(other));

        assertThat(violations).extracting(Violation::row, Violation::field, Violation::reason)
                .containsExactly(tuple(3, "personId", "person UA-2 is already on list list-other of round round-1"));
    }

    @Test
    void shouldRefuseAPersonWhoIsOnAListOfAnotherOpenRound() {
        Checked checked = check(HEADER + GOOD + GOOD.replace("UA-1", "UA-2"));
        ReleaseList elsewhere = listWith("list-next", "round-2", checked.entries().get(1));

        List<Violation> violations = againstRound(round(RoundStatus.PLANNED, 270, 120), checked, null, List.of(),
                List.of(elsewhere));

        assertThat(violations).extracting(Violation::row, Violation::field, Violation::reason)
                .containsExactly(tuple(3, "personId", "person UA-2 is already on list list-next of round round-2, "
                        + "which is still open: withdraw the person there first"));
    }

    @Test
    void shouldRefuseAnIdThatNamedAnotherPersonInAnotherRoundEvenAClosedOne() {
        // given UA-1 listed by the other side in an earlier round, and UA-2 listed by this side with another birth date
        Checked checked = check(HEADER + GOOD + GOOD.replace("UA-1", "UA-2") + GOOD.replace("UA-1", "UA-3"));
        ListEntry sameAsUa3 = checked.entries().get(2);
        Map<String, List<ReleaseLists.Listing>> elsewhere = Map.of(
                "UA-1", List.of(new ReleaseLists.Listing("round-0", "list-ua", Side.UA, checked.entries().get(0))),
                "UA-2", List.of(new ReleaseLists.Listing("round-0", "list-ru", Side.RU, new ListEntry("UA-2", "Петренко",
                        "Олександр", null, null, null, null, LocalDate.of(1971, 1, 1), PersonCategory.SOLDIER, null, null, null))),
                "UA-3", List.of(new ReleaseLists.Listing("round-0", "list-ru", Side.RU, sameAsUa3)));

        // when this side (RU) lists all three
        List<Violation> violations = ReleaseListValidator.againstRound("round-1", round(RoundStatus.PLANNED, 270, 120),
                upload(HEADER + GOOD + GOOD.replace("UA-1", "UA-2") + GOOD.replace("UA-1", "UA-3"), null), null,
                List.of(), List.of(), checked.entries(), personId -> elsewhere.getOrDefault(personId, List.of()));

        // then the other side's detainee and the other man are refused, and the same man listed again is not
        assertThat(violations).extracting(Violation::row, Violation::reason).containsExactly(
                tuple(2, "person UA-1 was listed by UA on list list-ua of round round-0: an id names one person, and the"
                        + " other side's detainee is not this one; give this person another id"),
                tuple(3, "person UA-2 was listed on list list-ru of round round-0 with another name or birth date: an id"
                        + " names one person; give this person another id, or, if it is the same person, list them as they"
                        + " were listed there and correct the entry in an amendment"));
    }

    @Test
    void shouldLetAListKeepAPersonItAlreadyHeldThoughAnotherOpenRoundListsThemToo() {
        // lists published before the rule may share a person; amending one of them must stay possible
        Checked checked = check(HEADER + GOOD + GOOD.replace("UA-1", "UA-2"));
        ReleaseList current = listWith("list-1", "round-1", checked.entries().get(1));
        ReleaseList elsewhere = listWith("list-next", "round-2", checked.entries().get(1));

        assertThat(againstRound(round(RoundStatus.PLANNED, 270, 120), checked, current, List.of(), List.of(elsewhere)))
                .isEmpty();
    }

    @Test
    void shouldRefuseMoreSoldiersOrCiviliansThanPlannedAcrossTheRoundsLists() {
        Checked checked = check(HEADER + GOOD + GOOD.replace("UA-1", "UA-2")
                + GOOD.replace("UA-1", "UA-3").replace("SOLDIER", "CIVILIAN"));
        ListEntry onOtherList = new ListEntry("UA-9", "Бойко", "Андрій", null, null, null, null, null,
                PersonCategory.SOLDIER, null, null, null);

        List<Violation> violations = againstRound(round(RoundStatus.PLANNED, 2, 0), checked, null,
                List.of(listWith("list-other", "round-1", onOtherList)));

        assertThat(violations).extracting(Violation::field, Violation::reason).containsExactlyInAnyOrder(
                tuple("category", "3 soldiers would be listed in round round-1 (2 on this list, 1 on its other lists), more than the 2 planned"),
                tuple("category", "1 civilians would be listed in round round-1 (1 on this list, 0 on its other lists), more than the 0 planned"));
    }

    @Test
    void shouldAcceptExactlyThePlannedCounts() {
        Checked checked = check(HEADER + GOOD + GOOD.replace("UA-1", "UA-2").replace("SOLDIER", "CIVILIAN"));

        assertThat(againstRound(round(RoundStatus.PLANNED, 1, 1), checked, null, List.of())).isEmpty();
    }

    @Test
    void shouldRefuseAListIdThatBelongsToAnotherRound() {
        Checked checked = check(HEADER + GOOD);
        ReleaseList current = listWith("list-1", "round-other", checked.entries().get(0));

        assertThat(againstRound(round(RoundStatus.PLANNED, 270, 120), checked, current, List.of()))
                .extracting(Violation::field, Violation::reason)
                .containsExactly(tuple("listId", "list list-1 belongs to round round-other"));
    }

    @Test
    void shouldRefuseANewListWithoutPersonsButAllowAnAmendmentThatWithdrawsEveryone() {
        Checked empty = check(HEADER);
        ReleaseList current = listWith("list-1", "round-1", check(HEADER + GOOD).entries().get(0));

        assertThat(againstRound(round(RoundStatus.PLANNED, 270, 120), empty, null, List.of()))
                .extracting(Violation::field).containsExactly("entries");
        assertThat(againstRound(round(RoundStatus.PLANNED, 270, 120), empty, current, List.of())).isEmpty();
    }

    @Test
    void shouldListEveryProblemOfEveryRowAtOnce() {
        Checked checked = check(HEADER
                + "UA-1,,Олександр,,,,,31.02.1990,SOLDIER,,,\n"
                + "UA-2,Коваль,Іван,,,,,,PRISONER,,,\n"
                + "\n"
                + "UA-1,Мельник,,,,,,,SOLDIER,,,2030-01-01\n");

        assertThat(checked.violations()).extracting(Violation::row, Violation::field).containsExactlyInAnyOrder(
                tuple(2, "surname"), tuple(2, "birthDate"),
                tuple(3, "category"),
                tuple(5, "givenName"), tuple(5, "captureDate"), tuple(5, "personId"));
    }

    static Checked check(String csv) {
        return ReleaseListValidator.entries(upload(csv, null), TODAY);
    }

    static ListUpload upload(String csv, Side side) {
        return ReleaseListCsv.read(csv.getBytes(StandardCharsets.UTF_8), "list-1", side);
    }

    static List<Violation> againstRound(ExchangeRound round, Checked checked, ReleaseList current,
                                        List<ReleaseList> others) {
        return againstRound(round, checked, current, others, List.of());
    }

    static List<Violation> againstRound(ExchangeRound round, Checked checked, ReleaseList current,
                                        List<ReleaseList> others, List<ReleaseList> openElsewhere) {
        ListUpload upload = new ListUpload("list-1", null,
                checked.entries().stream().map(entry -> ListRow.of(2 + checked.entries().indexOf(entry), "",
                        Map.of(ListColumn.PERSON_ID, entry.personId()))).toList(), List.of());
        return ReleaseListValidator.againstRound("round-1", round, upload, current, others, openElsewhere,
                checked.entries());
    }

    static ExchangeRound round(RoundStatus status, int soldiers, int civilians) {
        return new ExchangeRound("round-1", "AGR-1", 1, 3, LocalDate.of(2026, 12, 5), Side.RU, Side.UA,
                soldiers, civilians, status, Instant.parse("2026-11-27T00:00:00Z"));
    }

    static ReleaseList listWith(String listId, String roundId, ListEntry... entries) {
        Instant at = Instant.parse("2026-11-27T00:00:00Z");
        ReleaseListPublished header = new ReleaseListPublished(listId, roundId, Side.RU, 1, entries.length,
                ListChecksum.of(List.of(entries)), entries.length, 0, 0, at);
        return ReleaseList.empty(listId, roundId, Side.RU).apply(header, Arrays.stream(entries)
                .map(entry -> entry.toEvent(ListingChange.LISTED, roundId, listId, 1, Side.RU, at)).toList());
    }
}
