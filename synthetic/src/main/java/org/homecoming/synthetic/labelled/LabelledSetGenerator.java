package org.homecoming.synthetic.labelled;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.ibm.icu.text.Transliterator;

import org.homecoming.events.common.PersonCategory;
import org.homecoming.synthetic.names.GivenName;
import org.homecoming.synthetic.names.GivenNames;
import org.homecoming.synthetic.names.Transliteration;

/**
 * Generates synthetic people (never real ones: surnames are built from roots and suffixes, and names,
 * dates and categories are drawn at random) and writes them the ways relatives and lists do: Ukrainian or
 * Russian Cyrillic, BGN, the Ukrainian and Russian passport systems, English habits; with and without
 * patronymic, with typos, swapped order, gendered surname forms and imperfect birth dates.
 *
 * <p>The same seed always gives the same people and pairs. The passport romanisations are written out by
 * table ({@link Transliteration}) rather than taken from the matcher, so the labelled set tests the matcher
 * against spellings it did not produce itself.
 */
public final class LabelledSetGenerator {

    /** How a name is written. */
    public enum Writing { UA_CYRILLIC, RU_CYRILLIC, UA_BGN, RU_BGN, UA_PASSPORT, RU_PASSPORT, ENGLISH }

    /** A synthetic person: the truth behind the records. */
    public record SyntheticPerson(boolean female, GivenName given, Surname surname, GivenName father,
            LocalDate birthDate, PersonCategory category) {
    }

    /** A surname in Ukrainian Cyrillic; {@code feminine} is its feminine form, equal when not gendered. */
    public record Surname(String masculine, String feminine) {
        boolean gendered() {
            return !masculine.equals(feminine);
        }
    }

    private static final List<GivenName> MALE = GivenNames.MALE;
    private static final List<GivenName> FEMALE = GivenNames.FEMALE;

    /** Given names that have a form for each sex, male first. */
    private static final String[][] SEX_PAIRS = {
        {"Олександр", "Олександра"}, {"Богдан", "Богдана"}, {"Валентин", "Валентина"}, {"Євген", "Євгенія"},
        {"Ярослав", "Ярослава"}};

    private static final String[] ROOTS = {
        "Петр", "Ковал", "Шевч", "Бондар", "Ткач", "Кравч", "Мороз", "Лис", "Гнат", "Сидор", "Павл", "Марч", "Савч",
        "Кузьм", "Литвин", "Гриц", "Мельн", "Панас", "Остап", "Руд", "Роман", "Семен", "Тимош", "Федор", "Харч",
        "Шаповал", "Яков", "Гонч", "Данил", "Жур", "Зінч", "Іван", "Клим", "Лук'ян", "Назар", "Мирош", "Кирил", "Лев",
        "Приход", "Сав", "Сорок", "Стеф", "Тарас", "Кухар", "Бойк", "Дяч", "Мартин", "Юрч", "Голуб", "Карп", "Лозов",
        "Макар", "Нестер", "Осип", "Прокоп", "Різн", "Самойл", "Фом", "Хом", "Цимбал", "Черн", "Шульг", "Щерб",
        "Ярем", "Вакул", "Гаврил", "Дорош", "Єрем", "Задор", "Ігнат", "Козл", "Лаврін", "Михайл", "Охрім", "Пилип",
        "Рябч", "Тищ", "Устим", "Філіп", "Чуб", "Шост", "Щук", "Гордієн", "Білоус"};

    /** Surname suffixes; the ones with a feminine form are gendered. */
    private static final String[][] SUFFIXES = {
        {"енко", "енко"}, {"ук", "ук"}, {"юк", "юк"}, {"ишин", "ишин"}, {"ак", "ак"}, {"ець", "ець"},
        {"ов", "ова"}, {"ін", "іна"}, {"ський", "ська"}};

    private static final String CYRILLIC_LETTERS = "абвгдежзийклмнопрстуфхцчшщюяі";
    private static final String LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz";

    private final Random random;
    private final Transliterator ukrainianBgn = Transliterator.getInstance("Ukrainian-Latin/BGN");
    private final Transliterator russianBgn = Transliterator.getInstance("Russian-Latin/BGN");

    public LabelledSetGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** {@code perKind} pairs of every {@link VariationKind}, in a fixed order for a fixed seed. */
    public List<LabelledPair> pairs(int perKind) {
        List<LabelledPair> pairs = new ArrayList<>(perKind * VariationKind.values().length);
        for (VariationKind kind : VariationKind.values()) {
            for (int i = 0; i < perKind; i++) {
                pairs.add(pair(kind));
            }
        }
        return pairs;
    }

    /** A new synthetic person. */
    public SyntheticPerson nextPerson() {
        return person(random.nextBoolean() ? randomSurname(false) : randomSurname(true));
    }

    /** The person as a relative's inquiry describes them: mostly Ukrainian Cyrillic, sometimes Latin or Russian. */
    public WrittenPerson inquiryAbout(SyntheticPerson person) {
        Writing writing = pick(Writing.UA_CYRILLIC, Writing.UA_CYRILLIC, Writing.UA_CYRILLIC, Writing.RU_CYRILLIC,
                Writing.UA_PASSPORT, Writing.ENGLISH);
        boolean withDate = random.nextInt(10) < 8;
        return describe(person, writing, random.nextInt(10) < 7, withDate ? person.birthDate() : null,
                withDate ? null : person.birthDate().getYear(), random.nextInt(10) < 8 ? person.category() : null);
    }

    /** The person as a release list or a hand-over record writes them. */
    public WrittenPerson listingOf(SyntheticPerson person) {
        Writing writing = pick(Writing.UA_CYRILLIC, Writing.RU_CYRILLIC, Writing.RU_CYRILLIC, Writing.UA_PASSPORT);
        return describe(person, writing, true, person.birthDate(), null, person.category());
    }

    private LabelledPair pair(VariationKind kind) {
        SyntheticPerson person = switch (kind) {
            case FEMININE_SURNAME_FORM -> person(randomSurname(true));
            case HYPHENATED_SURNAME -> person(hyphenated());
            case DAY_MONTH_SWAPPED -> withBirthDate(nextPerson(), swappableDate());
            default -> nextPerson();
        };
        boolean soughtPatronymic = random.nextInt(4) > 0;
        boolean listedPatronymic = random.nextInt(4) > 0;
        PersonCategory soughtCategory = random.nextInt(5) > 0 ? person.category() : null;
        WrittenPerson sought = describe(person, Writing.UA_CYRILLIC, soughtPatronymic, person.birthDate(), null,
                soughtCategory);
        WrittenPerson listed = describe(person, Writing.UA_CYRILLIC, listedPatronymic, person.birthDate(), null,
                person.category());
        switch (kind) {
            case IDENTICAL -> { }
            case DIFFERENT_SCRIPT -> listed = describe(person, pick(Writing.UA_PASSPORT, Writing.UA_BGN),
                    listedPatronymic, person.birthDate(), null, person.category());
            case TRANSLITERATION_SYSTEM -> {
                Writing[] systems = {Writing.UA_BGN, Writing.UA_PASSPORT, Writing.RU_BGN, Writing.RU_PASSPORT,
                    Writing.ENGLISH};
                int a = random.nextInt(systems.length);
                int b = (a + 1 + random.nextInt(systems.length - 1)) % systems.length;
                sought = describe(person, systems[a], soughtPatronymic, person.birthDate(), null, soughtCategory);
                listed = describe(person, systems[b], listedPatronymic, person.birthDate(), null, person.category());
            }
            case RUSSIAN_NAME_FORM -> listed = describe(person, random.nextInt(10) < 7 ? Writing.RU_CYRILLIC
                    : Writing.RU_PASSPORT, listedPatronymic, person.birthDate(), null, person.category());
            case SWAPPED_ORDER -> listed = swapped(describe(person, pick(Writing.UA_CYRILLIC, Writing.UA_PASSPORT),
                    listedPatronymic, person.birthDate(), null, person.category()));
            case PATRONYMIC_ABSENT -> {
                sought = describe(person, Writing.UA_CYRILLIC, true, person.birthDate(), null, soughtCategory);
                listed = describe(person, pick(Writing.UA_CYRILLIC, Writing.RU_CYRILLIC), false, person.birthDate(),
                        null, person.category());
            }
            case TYPO -> listed = withTypo(describe(person, pick(Writing.UA_CYRILLIC, Writing.UA_PASSPORT),
                    listedPatronymic, person.birthDate(), null, person.category()));
            case FEMININE_SURNAME_FORM -> sought = new WrittenPerson(
                    List.of(writeName(person, Writing.UA_CYRILLIC, soughtPatronymic, !person.female())),
                    person.birthDate(), null, soughtCategory);
            case HYPHENATED_SURNAME -> {
                WrittenName full = listed.names().get(0);
                String firstPart = full.surname().substring(0, full.surname().indexOf('-'));
                sought = new WrittenPerson(List.of(new WrittenName(firstPart, full.givenName(), full.patronymic())),
                        person.birthDate(), null, soughtCategory);
            }
            case MISSING_BIRTH_DATE -> sought = describe(person, Writing.UA_CYRILLIC, soughtPatronymic, null, null,
                    soughtCategory);
            case BIRTH_YEAR_ONLY -> sought = describe(person, Writing.UA_CYRILLIC, soughtPatronymic, null,
                    person.birthDate().getYear() + (random.nextInt(10) < 7 ? 0 : random.nextBoolean() ? 1 : -1),
                    soughtCategory);
            case DAY_MONTH_SWAPPED -> {
                LocalDate d = person.birthDate();
                listed = describe(person, Writing.UA_CYRILLIC, listedPatronymic,
                        LocalDate.of(d.getYear(), d.getDayOfMonth(), d.getMonthValue()), null, person.category());
            }
            case YEAR_OFF_BY_ONE -> listed = describe(person, Writing.UA_CYRILLIC, listedPatronymic,
                    person.birthDate().plusYears(random.nextBoolean() ? 1 : -1), null, person.category());
            case CONFLICTING_BIRTH_DATE -> listed = describe(person, Writing.UA_CYRILLIC, listedPatronymic,
                    otherDate(person.birthDate()), null, person.category());
            case SAME_SURNAME_OTHER_PERSON -> listed = negative(new SyntheticPerson(random.nextBoolean(),
                    null, person.surname(), otherFather(person.father()), otherDate(person.birthDate()),
                    randomCategory()), person);
            case NAMESAKE_OTHER_BIRTH_DATE -> {
                LocalDate date = random.nextInt(5) == 0 ? sameYearOtherDay(person.birthDate())
                        : otherDate(person.birthDate());
                GivenName father = random.nextInt(10) < 3 ? person.father() : otherFather(person.father());
                listed = negative(new SyntheticPerson(person.female(), person.given(), person.surname(), father,
                        date, person.category()), person);
            }
            case SIBLING -> {
                LocalDate date = random.nextInt(20) == 0 ? person.birthDate()
                        : person.birthDate().plusYears(random.nextBoolean() ? 1 + random.nextInt(10)
                                : -1 - random.nextInt(10)).plusDays(random.nextInt(300));
                listed = negative(new SyntheticPerson(random.nextBoolean(), null, person.surname(), person.father(),
                        date, person.category()), person);
            }
            case OPPOSITE_SEX_TWIN -> {
                String[] sexPair = SEX_PAIRS[random.nextInt(SEX_PAIRS.length)];
                GivenName brother = GivenNames.byUkrainian(sexPair[0]);
                GivenName sister = GivenNames.byUkrainian(sexPair[1]);
                Surname surname = random.nextBoolean() ? randomSurname(true) : randomSurname(false);
                SyntheticPerson twin = new SyntheticPerson(random.nextBoolean(), null, surname, person.father(),
                        person.birthDate(), person.category());
                SyntheticPerson soughtTwin = new SyntheticPerson(twin.female(), twin.female() ? sister : brother,
                        surname, twin.father(), twin.birthDate(), twin.category());
                SyntheticPerson listedTwin = new SyntheticPerson(!twin.female(), twin.female() ? brother : sister,
                        surname, twin.father(), twin.birthDate(), twin.category());
                sought = describe(soughtTwin, Writing.UA_CYRILLIC, soughtPatronymic, twin.birthDate(), null,
                        soughtCategory);
                listed = describe(listedTwin, pick(Writing.UA_CYRILLIC, Writing.RU_CYRILLIC, Writing.UA_PASSPORT),
                        listedPatronymic, twin.birthDate(), null, twin.category());
            }
            case UNRELATED -> {
                SyntheticPerson other = nextPerson();
                listed = describe(other, pick(Writing.UA_CYRILLIC, Writing.RU_CYRILLIC, Writing.UA_PASSPORT),
                        listedPatronymic, other.birthDate(), null, other.category());
            }
            default -> throw new IllegalStateException("unhandled kind " + kind);
        }
        return new LabelledPair(sought, listed, kind.samePerson(), kind);
    }

    /** A different person (given name chosen here if null) written the way lists write, in any script. */
    private WrittenPerson negative(SyntheticPerson template, SyntheticPerson sought) {
        GivenName given = template.given();
        if (given == null) {
            List<GivenName> names = template.female() ? FEMALE : MALE;
            do {
                given = names.get(random.nextInt(names.size()));
            } while (given.equals(sought.given()));
        }
        SyntheticPerson other = new SyntheticPerson(template.female(), given, template.surname(), template.father(),
                template.birthDate(), template.category());
        Writing writing = pick(Writing.UA_CYRILLIC, Writing.UA_CYRILLIC, Writing.RU_CYRILLIC, Writing.UA_PASSPORT);
        return describe(other, writing, random.nextInt(4) > 0, other.birthDate(), null, other.category());
    }

    private SyntheticPerson person(Surname surname) {
        boolean female = random.nextInt(10) < 3;
        List<GivenName> names = female ? FEMALE : MALE;
        PersonCategory category = randomCategory();
        int firstYear = category == PersonCategory.SOLDIER ? 1965 : 1940;
        int lastYear = category == PersonCategory.SOLDIER ? 2004 : 2010;
        LocalDate birth = LocalDate.of(firstYear + random.nextInt(lastYear - firstYear + 1), 1, 1)
                .plusDays(random.nextInt(365));
        return new SyntheticPerson(female, names.get(random.nextInt(names.size())), surname,
                MALE.get(random.nextInt(MALE.size() - 2)), birth, category);
    }

    private PersonCategory randomCategory() {
        return random.nextInt(10) < 7 ? PersonCategory.SOLDIER : PersonCategory.CIVILIAN;
    }

    private static SyntheticPerson withBirthDate(SyntheticPerson p, LocalDate date) {
        return new SyntheticPerson(p.female(), p.given(), p.surname(), p.father(), date, p.category());
    }

    private Surname randomSurname(boolean gendered) {
        String root = ROOTS[random.nextInt(ROOTS.length)];
        String[] suffix = gendered ? SUFFIXES[6 + random.nextInt(3)] : SUFFIXES[random.nextInt(6)];
        return new Surname(root + suffix[0], root + suffix[1]);
    }

    private Surname hyphenated() {
        Surname a = randomSurname(false);
        Surname b;
        do {
            b = randomSurname(false);
        } while (b.equals(a));
        return new Surname(a.masculine() + "-" + b.masculine(), a.feminine() + "-" + b.feminine());
    }

    private LocalDate swappableDate() {
        int month;
        int day;
        do {
            month = 1 + random.nextInt(12);
            day = 1 + random.nextInt(12);
        } while (month == day);
        return LocalDate.of(1950 + random.nextInt(55), month, day);
    }

    private LocalDate otherDate(LocalDate date) {
        int years = 2 + random.nextInt(20);
        return date.plusYears(random.nextBoolean() ? years : -years).withDayOfYear(1 + random.nextInt(365));
    }

    private LocalDate sameYearOtherDay(LocalDate date) {
        LocalDate other;
        do {
            other = date.withDayOfYear(1 + random.nextInt(365));
        } while (other.getMonthValue() == date.getMonthValue() || other.getDayOfMonth() == date.getMonthValue());
        return other;
    }

    private GivenName otherFather(GivenName father) {
        GivenName other;
        do {
            other = MALE.get(random.nextInt(MALE.size() - 2));
        } while (other.equals(father));
        return other;
    }

    private WrittenPerson describe(SyntheticPerson person, Writing writing, boolean withPatronymic,
            LocalDate birthDate, Integer birthYear, PersonCategory category) {
        return new WrittenPerson(List.of(writeName(person, writing, withPatronymic, person.female())), birthDate,
                birthYear, category);
    }

    private WrittenName writeName(SyntheticPerson person, Writing writing, boolean withPatronymic, boolean feminineSurname) {
        String surnameUa = feminineSurname ? person.surname().feminine() : person.surname().masculine();
        boolean russian = writing == Writing.RU_CYRILLIC || writing == Writing.RU_BGN || writing == Writing.RU_PASSPORT;
        String surname = russian ? russianSurname(surnameUa) : surnameUa;
        // the labelled set writes Russian names with е for ё, as most lists do
        String given = russian ? withoutYo(person.given().russian()) : person.given().ukrainian();
        String patronymic = withPatronymic && writing != Writing.ENGLISH
                ? (russian ? withoutYo(person.father().russianPatronymic(person.female()))
                        : person.father().ukrainianPatronymic(person.female()))
                : null;
        return switch (writing) {
            case UA_CYRILLIC, RU_CYRILLIC -> new WrittenName(surname, given, patronymic);
            case UA_BGN -> new WrittenName(bgn(ukrainianBgn, surname), bgn(ukrainianBgn, given), bgn(ukrainianBgn, patronymic));
            case RU_BGN -> new WrittenName(bgn(russianBgn, surname), bgn(russianBgn, given), bgn(russianBgn, patronymic));
            case UA_PASSPORT -> new WrittenName(passport(surname, true), passport(given, true), passport(patronymic, true));
            case RU_PASSPORT -> new WrittenName(passport(surname, false), passport(given, false), passport(patronymic, false));
            case ENGLISH -> new WrittenName(passport(surname, true), person.given().english(), null);
        };
    }

    private static WrittenPerson swapped(WrittenPerson description) {
        WrittenName name = description.names().get(0);
        return new WrittenPerson(List.of(new WrittenName(name.givenName(), name.surname(), name.patronymic())),
                description.birthDate(), description.birthYear(), description.category());
    }

    private WrittenPerson withTypo(WrittenPerson description) {
        WrittenName name = description.names().get(0);
        int edits = random.nextInt(10) < 7 ? 1 : 2;
        WrittenName typed = random.nextBoolean()
                ? new WrittenName(typo(name.surname(), edits), name.givenName(), name.patronymic())
                : new WrittenName(name.surname(), typo(name.givenName(), edits), name.patronymic());
        return new WrittenPerson(List.of(typed), description.birthDate(), description.birthYear(),
                description.category());
    }

    /** One or two keyboard slips: a letter replaced, dropped, doubled in, or two letters transposed. */
    private String typo(String word, int edits) {
        StringBuilder text = new StringBuilder(word);
        String alphabet = hasCyrillic(word) ? CYRILLIC_LETTERS : LATIN_LETTERS;
        for (int e = 0; e < edits; e++) {
            int at = 1 + random.nextInt(Math.max(1, text.length() - 1));
            at = Math.min(at, text.length() - 1);
            char letter = alphabet.charAt(random.nextInt(alphabet.length()));
            switch (random.nextInt(4)) {
                case 0 -> text.setCharAt(at, letter);
                case 1 -> {
                    if (text.length() > 3) {
                        text.deleteCharAt(at);
                    }
                }
                case 2 -> text.insert(at, letter);
                default -> {
                    if (at + 1 < text.length()) {
                        char c = text.charAt(at);
                        text.setCharAt(at, text.charAt(at + 1));
                        text.setCharAt(at + 1, c);
                    } else {
                        text.setCharAt(at, letter);
                    }
                }
            }
        }
        return text.toString();
    }

    private static String russianSurname(String ukrainian) {
        String s = ukrainian;
        if (s.endsWith("ський")) {
            s = s.substring(0, s.length() - 5) + "ский";
        } else if (s.endsWith("ська")) {
            s = s.substring(0, s.length() - 4) + "ская";
        } else if (s.endsWith("ець")) {
            s = s.substring(0, s.length() - 3) + "ец";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case 'і' -> out.append('и');
                case 'І' -> out.append('И');
                case 'ї' -> out.append("йи");
                case 'є' -> out.append('е');
                case 'Є' -> out.append('Е');
                case 'ґ' -> out.append('г');
                case '\'' -> out.append('ь');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String bgn(Transliterator transliterator, String text) {
        if (text == null) {
            return null;
        }
        synchronized (transliterator) {
            return transliterator.transliterate(text);
        }
    }

    /** The Ukrainian national (2010) or Russian passport romanisation, written out by table rather than by the matcher's ICU. */
    private static String passport(String text, boolean ukrainian) {
        return text == null ? null : (ukrainian ? Transliteration.UKRAINIAN : Transliteration.RUSSIAN).latin(text);
    }

    private static String withoutYo(String russian) {
        return russian.replace('ё', 'е');
    }

    private static boolean hasCyrillic(String text) {
        return text.chars().anyMatch(c -> Character.UnicodeBlock.of(c) == Character.UnicodeBlock.CYRILLIC);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

}
