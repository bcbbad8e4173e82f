package org.homecoming.reunification.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.homecoming.reunification.matching.TransliterationTest.level;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.homecoming.events.common.PersonCategory;
import org.homecoming.reunification.matching.MatchWeights.BirthDateLevel;
import org.homecoming.events.common.Sex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MatchScorerTest {

    private static final LocalDate BORN = LocalDate.of(1986, 3, 9);

    private final MatchScorer scorer = MatchScorer.standard();
    /** Мельник Іван, born 1975, sought; and a listed Melnyk Ivan born 1990: a namesake with another birth date. */
    private static final PersonDescription SOUGHT_IVAN = person(new Name("Мельник", "Іван", null), LocalDate.of(1975, 6, 1));
    private static final PersonDescription NAMESAKE_BORN_APART = person(new Name("Melnyk", "Ivan", null), LocalDate.of(1990, 2, 14));

    @Test
    void shouldMatchWhenSurnameAndGivenNameAreSwapped() {
        // given
        PersonDescription sought = person(new Name("Петренко", "Олександр", "Іванович"), BORN);
        PersonDescription listed = person(new Name("Oleksandr", "Petrenko", null), BORN);

        // when
        Assessment assessment = scorer.assess(sought, listed);

        // then
        assertThat(assessment.outcome()).isEqualTo(Outcome.AUTO_MATCH);
        assertThat(level(assessment, "nameOrder")).isEqualTo("SWAPPED");
    }

    @Test
    void shouldReadAWholeNameWrittenIntoOneField() {
        PersonDescription sought = person(new Name("Петренко Олександр Іванович", null, null), BORN);
        PersonDescription listed = person(new Name("Petrenko", "Oleksandr", "Ivanovych"), BORN);

        Assessment assessment = scorer.assess(sought, listed);

        assertThat(level(assessment, "givenName")).isEqualTo("EXACT");
        assertThat(level(assessment, "patronymic")).isEqualTo("EXACT");
    }

    @Test
    void shouldTreatAMissingPatronymicAsNoEvidence() {
        // given
        PersonDescription sought = person(new Name("Коваленко", "Сергій", "Петрович"), BORN);
        PersonDescription listed = person(new Name("Коваленко", "Сергій", null), BORN);

        // when
        Assessment assessment = scorer.assess(sought, listed);

        // then
        assertThat(level(assessment, "patronymic")).isEqualTo("MISSING");
        assertThat(weight(assessment, "patronymic")).isZero();
        assertThat(assessment.outcome()).isEqualTo(Outcome.AUTO_MATCH);
    }

    @Test
    void shouldMatchUkrainianAndRussianPatronymicsOfOneFather() {
        assertThat(patronymicLevel("Олександрович", "Aleksandrovich")).isEqualTo("EXACT");
        assertThat(patronymicLevel("Сергійович", "Сергеевич")).isEqualTo("EXACT");
        assertThat(patronymicLevel("Миколаївна", "Nikolaevna")).isEqualTo("EXACT");
        assertThat(patronymicLevel("Юрійович", "Iurievich")).isEqualTo("EXACT");
        assertThat(patronymicLevel("Олександрович", "Олексійович")).isEqualTo("DISAGREE");
    }

    @Test
    void shouldNeverAutoMatchAPatronymicThatNamesAnotherFather() {
        PersonDescription sought = person(new Name("Коваленко", "Сергій", "Петрович"), BORN);
        PersonDescription listed = person(new Name("Коваленко", "Сергій", "Миколайович"), BORN);

        assertThat(scorer.assess(sought, listed).outcome()).isNotEqualTo(Outcome.AUTO_MATCH);
    }

    @Test
    void shouldSeeAFeminineSurnameFormAsAVariationButNotAsStrongAgreementWhenNothingTellsTheSex() {
        // given: Саша is a man's and a woman's name, and no sex is stated
        PersonDescription sought = person(new Name("Іванова", "Саша", null), BORN);
        PersonDescription listed = person(new Name("Іванов", "Саша", null), BORN);

        // when
        Assessment assessment = scorer.assess(sought, listed);

        // then
        assertThat(level(assessment, "surname")).isEqualTo("FEMININE_FORM");
        assertThat(assessment.outcome()).isEqualTo(Outcome.REVIEW);
    }

    @Test
    void shouldAgreeStronglyWhenTheSexExplainsTheSurnameForm() {
        // given: a wife writes her husband Oleh's surname in her own, feminine form; Oleh is a man's name
        PersonDescription sought = person(new Name("Іванова", "Олег", null), BORN);
        PersonDescription listed = person(new Name("Іванов", "Олег", null), BORN);

        // when
        Assessment assessment = scorer.assess(sought, listed);

        // then
        assertThat(level(assessment, "surname")).isEqualTo("SEX_FORM");
        assertThat(assessment.outcome()).isEqualTo(Outcome.AUTO_MATCH);
    }

    @Test
    void shouldUseTheStatedSexForTheSurnameFormAndForNamesOfBothSexes() {
        // given: "Sasha Ivanov", a woman, sought by one string; the list has Ivanova Oleksandra and Ivanov Oleksandr
        PersonDescription sought = new PersonDescription(List.of(), "Sasha Ivanov", Sex.FEMALE, BORN, null, null,
                null, null, null);
        PersonDescription sister = person(new Name("Іванова", "Олександра", null), BORN);
        PersonDescription brother = person(new Name("Іванов", "Олександр", null), BORN);

        // when
        Assessment her = scorer.assess(sought, sister);
        Assessment him = scorer.assess(sought, brother);

        // then
        assertThat(level(her, "surname")).isEqualTo("SEX_FORM");
        assertThat(level(her, "givenName")).isEqualTo("EQUIVALENT");
        assertThat(her.outcome()).isEqualTo(Outcome.AUTO_MATCH);
        assertThat(level(him, "givenName")).as("a woman is not Oleksandr").isEqualTo("DISAGREE");
        assertThat(him.outcome()).as("a twin brother at most goes to a caseworker").isNotEqualTo(Outcome.AUTO_MATCH);
        assertThat(him.score()).isLessThan(her.score() - 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Петренко Олександр Іванович", "Олександр Іванович Петренко", "Петренко, Олександр Іванович",
        "PETRENKO, Aleksandr Ivanovich", "Oleksandr Petrenko", "Sasha Petrenko, born about 1990",
        "Александр Петренко 04.03.1985 р.н."})
    void shouldReadAWholeNameWrittenAsOneStringInAnyOrder(String fullName) {
        // given
        PersonDescription sought = new PersonDescription(List.of(), fullName, null, LocalDate.of(1985, 3, 4), null,
                null, null, null, null);
        PersonDescription listed = person(new Name("Петренко", "Олександр", "Іванович"), LocalDate.of(1985, 3, 4));

        // when
        Assessment assessment = scorer.assess(sought, listed);

        // then
        assertThat(level(assessment, "surname")).isEqualTo("EXACT");
        assertThat(level(assessment, "givenName")).isIn("EXACT", "EQUIVALENT");
        assertThat(level(assessment, "patronymic")).isIn("EXACT", "MISSING");
        assertThat(assessment.outcome()).isEqualTo(Outcome.AUTO_MATCH);
    }

    @Test
    void shouldSendANameOnlyInquiryWithOneSurnameTypoToReviewButNeverAutoMatchIt() {
        // given: no birth date at all, and one letter wrong in the surname
        PersonDescription sought = person(new Name("Шевчнко", "Тарас", null), null);
        PersonDescription listed = person(new Name("Шевченко", "Тарас", "Петрович"), BORN);

        // when
        Assessment assessment = scorer.assess(sought, listed);

        // then
        assertThat(assessment.score()).isNegative();
        assertThat(assessment.outcome()).isEqualTo(Outcome.REVIEW);
    }

    @Test
    void shouldNotSendASiblingOfANameOnlyInquiryToReview() {
        // given: same surname and father, another given name
        PersonDescription sought = person(new Name("Шевченко", "Тарас", "Петрович"), null);
        PersonDescription listed = person(new Name("Шевченко", "Андрій", "Петрович"), BORN);

        // when / then
        assertThat(scorer.assess(sought, listed).outcome()).isEqualTo(Outcome.NON_MATCH);
    }

    @Test
    void shouldSeeDigitSlipsAndAWrongDayAsWeakerAgreementThanADifferentDate() {
        PersonDescription sought = person(new Name("Мельник", "Іван", null), LocalDate.of(1985, 6, 14));

        assertThat(level(scorer.assess(sought, person(new Name("Мельник", "Іван", null), LocalDate.of(1958, 6, 14))),
                "birthDate")).isEqualTo("DIGITS_TRANSPOSED");
        assertThat(level(scorer.assess(sought, person(new Name("Мельник", "Іван", null), LocalDate.of(1975, 6, 14))),
                "birthDate")).isEqualTo("DIGIT_SLIP");
        assertThat(level(scorer.assess(sought, person(new Name("Мельник", "Іван", null), LocalDate.of(1985, 6, 24))),
                "birthDate")).isEqualTo("DAY_WRONG");
        assertThat(level(scorer.assess(sought, person(new Name("Мельник", "Іван", null), LocalDate.of(1985, 6, 3))),
                "birthDate")).isEqualTo("DAY_WRONG");
        assertThat(level(scorer.assess(sought, person(new Name("Мельник", "Іван", null), LocalDate.of(1979, 2, 3))),
                "birthDate")).isEqualTo("DISAGREE");
        assertThat(scorer.assess(sought, person(new Name("Мельник", "Іван", null), LocalDate.of(1958, 6, 14))).outcome())
                .as("a swapped year with nothing but the name to back it is not enough for an alert")
                .isEqualTo(Outcome.REVIEW);
    }

    @Test
    void shouldAutoMatchASlippedDateWhenTheFathersNameMakesUpForIt() {
        // given: the whole name with the father's, and the list's date with the year's digits swapped or a wrong day
        PersonDescription sought = person(new Name("Мельник", "Іван", "Петрович"), LocalDate.of(1985, 6, 14));

        // when
        Assessment swapped = scorer.assess(sought, person(new Name("Мельник", "Иван", "Петрович"), LocalDate.of(1958, 6, 14)));
        Assessment wrongDay = scorer.assess(sought, person(new Name("Мельник", "Іван", "Петрович"), LocalDate.of(1985, 6, 3)));

        // then
        assertThat(swapped.outcome()).isEqualTo(Outcome.AUTO_MATCH);
        assertThat(wrongDay.outcome()).isEqualTo(Outcome.AUTO_MATCH);
    }

    @Test
    void shouldNotAutoMatchANamesakeWithTheSameFatherBornTenYearsApartOnTheSameDay() {
        // given: one digit of the year differs, which a namesake born ten years apart also shows
        PersonDescription sought = person(new Name("Мельник", "Іван", "Петрович"), LocalDate.of(1985, 6, 14));
        PersonDescription listed = person(new Name("Мельник", "Іван", "Петрович"), LocalDate.of(1975, 6, 14));

        // when / then
        assertThat(scorer.assess(sought, listed).outcome()).isEqualTo(Outcome.REVIEW);
    }

    @Test
    void shouldTellDigitSlipsFromOtherDifferences() {
        assertThat(MatchScorer.digitSlip(19850614, 19580614)).isEqualTo(MatchScorer.TRANSPOSED);
        assertThat(MatchScorer.digitSlip(19850612, 19850621)).isEqualTo(MatchScorer.TRANSPOSED);
        assertThat(MatchScorer.digitSlip(19850614, 19750614)).isEqualTo(MatchScorer.ONE_DIGIT);
        assertThat(MatchScorer.digitSlip(19850614, 19580641)).isEqualTo(MatchScorer.NO_SLIP);
        assertThat(MatchScorer.digitSlip(19850614, 19870615)).isEqualTo(MatchScorer.NO_SLIP);
        assertThat(MatchScorer.digitSlip(19850614, 19860514)).isEqualTo(MatchScorer.NO_SLIP);
    }

    @Test
    void shouldKnowASurnameTranslatedByARussianWritingClerk() {
        // given: Коваль ("smith") on a Russian list as Кузнец, with the Russian forms of the given and father's names
        PersonDescription sought = person(new Name("Коваль", "Сергій", "Іванович"), LocalDate.of(1979, 2, 3));
        PersonDescription listed = person(new Name("Кузнец", "Сергей", "Иванович"), LocalDate.of(1979, 2, 3));

        // when
        Assessment assessment = scorer.assess(sought, listed);

        // then
        assertThat(level(assessment, "surname")).isEqualTo("TRANSLATED");
        assertThat(assessment.outcome()).isEqualTo(Outcome.AUTO_MATCH);
        assertThat(level(scorer.assess(sought, person(new Name("Кузнецова", "Сергей", "Иванович"), LocalDate.of(1979, 2, 3))),
                "surname")).isEqualTo("TRANSLATED");
        assertThat(level(scorer.assess(person(new Name("Коваль", "Сергій", null), null),
                person(new Name("Коваленко", "Сергій", null), null)), "surname"))
                .as("two surnames that share a translation are not one surname").isNotEqualTo("TRANSLATED");
    }

    @Test
    void shouldWeighUnitCapturePlaceAndCaptureDateWhenBothSidesHaveThem() {
        // given
        PersonDescription sought = new PersonDescription(List.of(new Name("Мельник", "Іван", null)), null, null, null,
                null, null, "72 ОМБр", "Бахмут", LocalDate.of(2023, 5, 20));
        PersonDescription sameUnit = new PersonDescription(List.of(new Name("Мельник", "Іван", null)), null, null, null,
                null, null, "72-га окрема механізована бригада", "м. Бахмут", LocalDate.of(2023, 5, 21));
        PersonDescription otherUnit = new PersonDescription(List.of(new Name("Мельник", "Іван", null)), null, null, null,
                null, null, "93 ОМБр", "Авдіївка", LocalDate.of(2022, 3, 1));

        // when
        Assessment same = scorer.assess(sought, sameUnit);
        Assessment other = scorer.assess(sought, otherUnit);

        // then
        assertThat(level(same, "unit")).isEqualTo("SAME");
        assertThat(level(same, "capturePlace")).isEqualTo("SAME");
        assertThat(level(same, "captureDate")).isEqualTo("CLOSE");
        assertThat(level(other, "unit")).isEqualTo("DIFFERENT");
        assertThat(same.score()).isGreaterThan(other.score() + 10);
        assertThat(same.outcome()).as("no birth date: never an alert").isEqualTo(Outcome.REVIEW);
    }

    @Test
    void shouldNotMatchABrotherAndSisterWhoseNamesDifferOnlyInGender() {
        // given: twins Oleksandr Ivanov and Oleksandra Ivanova, same father and birthday
        PersonDescription brother = person(new Name("Ivanov", "Oleksandr", "Petrovych"), BORN);
        PersonDescription sister = person(new Name("Іванова", "Олександра", "Петрівна"), BORN);

        // when
        Assessment assessment = scorer.assess(brother, sister);

        // then
        assertThat(level(assessment, "givenName")).isEqualTo("DISAGREE");
        assertThat(assessment.outcome()).isNotEqualTo(Outcome.AUTO_MATCH);
    }

    @Test
    void shouldMatchFeminineFormsOfAdjectivalSurnames() {
        assertThat(surnameLevel("Ковальська", "Kovalskyi")).isEqualTo("FEMININE_FORM");
        assertThat(surnameLevel("Смирнова", "Smirnov")).isEqualTo("FEMININE_FORM");
        assertThat(surnameLevel("Кузьміна", "Кузьмин")).isEqualTo("FEMININE_FORM");
    }

    @Test
    void shouldMatchOnePartOfADoubleSurname() {
        PersonDescription sought = person(new Name("Петренко", "Ірина", null), BORN);
        PersonDescription listed = person(new Name("Петренко-Коваль", "Ірина", null), BORN);

        Assessment assessment = scorer.assess(sought, listed);

        assertThat(level(assessment, "surname")).isEqualTo("HYPHEN_PART");
        assertThat(assessment.outcome()).isEqualTo(Outcome.AUTO_MATCH);
    }

    @Test
    void shouldTolerateTypos() {
        assertThat(surnameLevel("Petrenko", "Petrneko")).isEqualTo("CLOSE");
        assertThat(surnameLevel("Шевченко", "Шевчекно")).isEqualTo("CLOSE");
        assertThat(surnameLevel("Шевченко", "Шевчнко")).isEqualTo("CLOSE");
        assertThat(surnameLevel("Bondarenko", "Bondrenka")).isEqualTo("TWO_EDITS");
        assertThat(surnameLevel("Bondarenko", "Bodnrenkoa")).isIn("TYPO", "TWO_EDITS", "DISAGREE");
        assertThat(surnameLevel("Kovalenko", "Kovalchuk")).isNotIn("EXACT", "CLOSE");
        assertThat(givenLevel("Oleksandr", "Oleksnadr")).isEqualTo("CLOSE");
        assertThat(givenLevel("Ярослав", "Ярослава")).isEqualTo("DISAGREE");
    }

    @Test
    void shouldAutoMatchASingleTypoWhenEverythingElseAgrees() {
        PersonDescription sought = person(new Name("Шевченко", "Тарас", "Григорович"), BORN);
        PersonDescription listed = person(new Name("Шевчекно", "Тарас", "Григорович"), BORN);

        assertThat(scorer.assess(sought, listed).outcome()).isEqualTo(Outcome.AUTO_MATCH);
    }

    static Stream<Arguments> birthDates() {
        return Stream.of(
                Arguments.of(LocalDate.of(1986, 3, 9), null, LocalDate.of(1986, 3, 9), null, BirthDateLevel.EXACT),
                Arguments.of(LocalDate.of(1986, 3, 9), null, LocalDate.of(1986, 9, 3), null, BirthDateLevel.DAY_MONTH_SWAPPED),
                Arguments.of(LocalDate.of(1986, 3, 9), null, LocalDate.of(1987, 3, 9), null, BirthDateLevel.YEAR_OFF_BY_ONE),
                Arguments.of(LocalDate.of(1986, 3, 9), null, LocalDate.of(1985, 3, 9), null, BirthDateLevel.YEAR_OFF_BY_ONE),
                Arguments.of(LocalDate.of(1986, 3, 9), null, null, 1986, BirthDateLevel.SAME_YEAR),
                Arguments.of(null, 1987, LocalDate.of(1986, 3, 9), null, BirthDateLevel.SAME_YEAR),
                Arguments.of(LocalDate.of(1986, 3, 9), null, LocalDate.of(1986, 11, 20), null, BirthDateLevel.SAME_YEAR_OTHER_MONTH),
                Arguments.of(LocalDate.of(1986, 3, 9), null, null, null, BirthDateLevel.MISSING),
                Arguments.of(null, null, null, 1986, BirthDateLevel.MISSING),
                Arguments.of(LocalDate.of(1986, 3, 9), null, LocalDate.of(1991, 7, 1), null, BirthDateLevel.DISAGREE),
                Arguments.of(null, 1979, LocalDate.of(1986, 3, 9), null, BirthDateLevel.DISAGREE));
    }

    @ParameterizedTest
    @MethodSource("birthDates")
    void shouldCompareBirthDatesAtSeveralLevels(LocalDate dateA, Integer yearA, LocalDate dateB, Integer yearB,
            BirthDateLevel expected) {
        // given
        PersonDescription a = new PersonDescription(List.of(new Name("Мельник", "Іван", null)), dateA, yearA, null);
        PersonDescription b = new PersonDescription(List.of(new Name("Мельник", "Іван", null)), dateB, yearB, null);

        // when
        Assessment assessment = scorer.assess(a, b);

        // then
        assertThat(level(assessment, "birthDate")).isEqualTo(expected.name());
        assertThat(weight(assessment, "birthDate")).isEqualTo(expected.weight);
    }

    @Test
    void shouldNeverAutoMatchNamesakesBornOnDifferentDates() {
        // given: two different men with the same full name
        PersonDescription sought = person(new Name("Мельник", "Іван", "Петрович"), LocalDate.of(1975, 6, 1));
        PersonDescription listed = person(new Name("Мельник", "Іван", "Петрович"), LocalDate.of(1983, 2, 14));

        // when
        Outcome outcome = scorer.assess(sought, listed).outcome();

        // then
        assertThat(outcome).isIn(Outcome.NON_MATCH, Outcome.REVIEW);
    }

    @Test
    void shouldSendANamesakeBornYearsApartToReviewButRejectItWhenTheCategoryDiffersToo() {
        // given: lists do carry wrong dates, so a full name that agrees is shown to a caseworker, never alerted
        PersonDescription soughtSoldier = new PersonDescription(SOUGHT_IVAN.names(), SOUGHT_IVAN.birthDate(), null,
                PersonCategory.SOLDIER);
        PersonDescription listedCivilian = new PersonDescription(NAMESAKE_BORN_APART.names(), NAMESAKE_BORN_APART.birthDate(),
                null, PersonCategory.CIVILIAN);

        // when / then
        assertThat(scorer.assess(SOUGHT_IVAN, NAMESAKE_BORN_APART).outcome()).isEqualTo(Outcome.REVIEW);
        assertThat(scorer.assess(soughtSoldier, listedCivilian).outcome()).isEqualTo(Outcome.NON_MATCH);
    }

    @Test
    void shouldNotReviewANamesakeWithAnotherBirthDateWhenManyListedPeopleCarryTheSurname() {
        // given: Мельник Іван with another birth date, on a roster where one listed person in twenty is a Мельник
        MatchScorer rosterScorer = MatchScorer.standard();
        listRoster(rosterScorer, "Мельник", 200, 4000);
        rosterScorer.listed(NAMESAKE_BORN_APART);

        // when
        Assessment assessment = rosterScorer.assess(SOUGHT_IVAN, NAMESAKE_BORN_APART);

        // then: the name is all that speaks for the pair, and it says little; the book score is what it was
        assertThat(assessment.outcome()).isEqualTo(Outcome.NON_MATCH);
        assertThat(assessment.score()).isEqualTo(scorer.assess(SOUGHT_IVAN, NAMESAKE_BORN_APART).score());
    }

    @Test
    void shouldStillReviewANamesakeWithAnotherBirthDateWhenItsSurnameIsRareOnTheRoster() {
        // given: the same pair, on a roster of as many people whose surnames are all different
        MatchScorer rosterScorer = MatchScorer.standard();
        listRoster(rosterScorer, null, 0, 4000);
        rosterScorer.listed(NAMESAKE_BORN_APART);

        // when / then
        assertThat(rosterScorer.assess(SOUGHT_IVAN, NAMESAKE_BORN_APART).outcome()).isEqualTo(Outcome.REVIEW);
    }

    @Test
    void shouldStillAutoMatchAndReviewACommonSurnameWhenTheRestOfTheRecordSpeaksForIt() {
        // given: one listed person in twenty is a Мельник
        MatchScorer rosterScorer = MatchScorer.standard();
        PersonDescription withDate = person(new Name("Мельник", "Іван", "Петрович"), LocalDate.of(1975, 6, 1));
        PersonDescription nameOnly = person(new Name("Мельник", "Іван", "Петрович"), null);
        PersonDescription listed = person(new Name("Мельник", "Іван", "Петрович"), LocalDate.of(1975, 6, 1));
        listRoster(rosterScorer, "Мельник", 200, 4000);
        rosterScorer.listed(listed);

        // when / then: a confirming date still makes an alert, and the whole name without a date still a review
        assertThat(rosterScorer.assess(withDate, listed).outcome()).isEqualTo(Outcome.AUTO_MATCH);
        assertThat(rosterScorer.assess(nameOnly, listed).outcome()).isEqualTo(Outcome.REVIEW);
    }

    @Test
    void shouldForgetASurnameCountWhenTheListingIsCorrectedOrTheRosterReadAgain() {
        // given
        MatchScorer rosterScorer = MatchScorer.standard();
        listRoster(rosterScorer, "Мельник", 200, 4000);
        rosterScorer.listed(NAMESAKE_BORN_APART);
        assertThat(rosterScorer.assess(SOUGHT_IVAN, NAMESAKE_BORN_APART).outcome()).isEqualTo(Outcome.NON_MATCH);

        // when: the roster is read again from the start, with only this person so far
        rosterScorer.forgetListed();
        rosterScorer.listed(NAMESAKE_BORN_APART);

        // then
        assertThat(rosterScorer.assess(SOUGHT_IVAN, NAMESAKE_BORN_APART).outcome()).isEqualTo(Outcome.REVIEW);
    }

    /** Lists {@code people} persons, {@code carrying} of them with the surname, the others each with their own. */
    private static void listRoster(MatchScorer rosterScorer, String surname, int carrying, int people) {
        for (int i = 0; i < people; i++) {
            String written = i < carrying ? surname : "Прізвище" + Integer.toString(i, 26).replace('0', 'а')
                    .replace('1', 'б').replace('2', 'в').replace('3', 'г').replace('4', 'д').replace('5', 'е')
                    .replace('6', 'ж').replace('7', 'з').replace('8', 'и').replace('9', 'к');
            rosterScorer.listed(person(new Name(written, "Петро", null), LocalDate.of(1980, 1, 1)));
        }
    }

    @Test
    void shouldSendAStrongNameWithoutBirthDateToReviewAtBest() {
        // given
        PersonDescription sought = person(new Name("Мельник", "Іван", "Петрович"), null);
        PersonDescription listed = person(new Name("Мельник", "Іван", "Петрович"), LocalDate.of(1975, 6, 1));

        // when
        Assessment assessment = scorer.assess(sought, listed);

        // then
        assertThat(assessment.outcome()).isEqualTo(Outcome.REVIEW);
        assertThat(assessment.score()).isGreaterThanOrEqualTo(MatchWeights.REVIEW_THRESHOLD);
    }

    @Test
    void shouldNotMatchDifferentPeople() {
        PersonDescription sought = person(new Name("Мельник", "Іван", "Петрович"), LocalDate.of(1975, 6, 1));
        PersonDescription listed = person(new Name("Бойко", "Олена", "Сергіївна"), LocalDate.of(1990, 2, 14));

        assertThat(scorer.assess(sought, listed).outcome()).isEqualTo(Outcome.NON_MATCH);
    }

    @Test
    void shouldExplainTheScoreAsPriorPlusFieldWeights() {
        PersonDescription sought = new PersonDescription(List.of(new Name("Бойко", "Олена", null)), BORN, null,
                PersonCategory.CIVILIAN);
        PersonDescription listed = new PersonDescription(List.of(new Name("Boiko", "Olena", null)), BORN, null,
                PersonCategory.CIVILIAN);

        Assessment assessment = scorer.assess(sought, listed);

        double sum = assessment.evidence().stream().mapToDouble(Evidence::weight).sum();
        assertThat(sum).isCloseTo(assessment.score(), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(level(assessment, "category")).isEqualTo("SAME");
    }

    @Test
    void shouldDeriveEveryWeightFromItsMAndU() {
        Stream.of(MatchWeights.SurnameLevel.values(), MatchWeights.GivenNameLevel.values(),
                MatchWeights.PatronymicLevel.values(), MatchWeights.BirthDateLevel.values(),
                MatchWeights.CategoryLevel.values())
                .flatMap(Arrays::stream)
                .forEach(level -> {
                    double[] mu = mAndU(level);
                    assertThat(mu[0]).as("m of %s", level).isBetween(0.0, 1.0);
                    assertThat(mu[1]).as("u of %s", level).isBetween(0.0, 1.0);
                });
        assertThat(MatchWeights.BirthDateLevel.EXACT.weight)
                .isEqualTo(Math.log(MatchWeights.BirthDateLevel.EXACT.m / MatchWeights.BirthDateLevel.EXACT.u) / Math.log(2));
    }

    private static double[] mAndU(Enum<?> level) {
        try {
            return new double[] {level.getClass().getField("m").getDouble(level), level.getClass().getField("u").getDouble(level)};
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Surname level with a given name of either sex (Саша), so the sex does not explain a gendered form. */
    private String surnameLevel(String a, String b) {
        return level(scorer.assess(person(new Name(a, "Саша", null), BORN), person(new Name(b, "Саша", null), BORN)),
                "surname");
    }

    private String givenLevel(String a, String b) {
        return level(scorer.assess(person(new Name("Бойко", a, null), BORN), person(new Name("Бойко", b, null), BORN)),
                "givenName");
    }

    private String patronymicLevel(String a, String b) {
        return level(scorer.assess(person(new Name("Бойко", "Іван", a), BORN), person(new Name("Бойко", "Іван", b), BORN)),
                "patronymic");
    }

    private static double weight(Assessment assessment, String field) {
        return assessment.evidence().stream().filter(e -> e.field().equals(field)).findFirst().orElseThrow().weight();
    }

    private static PersonDescription person(Name name, LocalDate born) {
        return new PersonDescription(List.of(name), born, null, null);
    }
}
