package org.homecoming.synthetic.labelled;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.Sex;

/**
 * The second labelled set, written apart from the first (LabelledSetGenerator) and never used to tune the matcher.
 *
 * <p>Other name sources: occupational and -ів surnames, adjectival surnames with their feminine forms, and given
 * names mostly absent from the first set; the Latin forms use the Ukrainian national (2010) table typed out here.
 * Another error model, a list clerk's rather than a relative's: keyboard slips (a neighbouring key on the Ukrainian
 * ЙЦУКЕН layout), OCR confusions of scanned lists, -ів written -ов, a surname translated into Russian
 * (Коваль → Кузнец), digit slips in dates (1985 → 1958) and a wrong day. Inquiries come as a hotline types them:
 * split into fields or as one string, with sex, age, category, unit and place of capture when the relative knows them.
 *
 * <p>The people are synthetic: each name is drawn at random from the lists below.
 */
public final class ClerkListSet {

    /** Given name: Ukrainian, Russian form, female. */
    private record Given(String ua, String ru, boolean female) {
    }

    /** Surname: Ukrainian masculine, Ukrainian feminine, Russian translation (null when none is usual). */
    private record Surname(String ua, String uaFeminine, String ruTranslated) {
    }

    private record Person(String id, Sex sex, Given given, Surname surname, Given father, LocalDate born,
            PersonCategory category, String unit, String place, LocalDate captured) {
    }

    private static final List<Given> GIVEN = List.of(
            m("Гліб", "Глеб"), m("Данило", "Даниил"), m("Матвій", "Матвей"), m("Тимофій", "Тимофей"),
            m("Захар", "Захар"), m("Вадим", "Вадим"), m("Руслан", "Руслан"), m("Владислав", "Владислав"),
            m("Всеволод", "Всеволод"), m("Мирослав", "Мирослав"), m("Орест", "Орест"), m("Станіслав", "Станислав"),
            m("Едуард", "Эдуард"), m("Геннадій", "Геннадий"), m("Аркадій", "Аркадий"), m("Зіновій", "Зиновий"),
            m("Святослав", "Святослав"), m("Ростислав", "Ростислав"), m("Устим", "Устим"), m("Петро", "Пётр"),
            m("Олександр", "Александр"), m("Сергій", "Сергей"), m("Андрій", "Андрей"), m("Іван", "Иван"),
            m("Микола", "Николай"), m("Юрій", "Юрий"), m("Василь", "Василий"), m("Ярослав", "Ярослав"),
            f("Зоя", "Зоя"), f("Лідія", "Лидия"), f("Раїса", "Раиса"), f("Алла", "Алла"), f("Жанна", "Жанна"),
            f("Христина", "Кристина"), f("Уляна", "Ульяна"), f("Мирослава", "Мирослава"), f("Злата", "Злата"),
            f("Діана", "Диана"), f("Аліна", "Алина"), f("Вероніка", "Вероника"), f("Поліна", "Полина"),
            f("Ксенія", "Ксения"), f("Єлизавета", "Елизавета"), f("Олена", "Елена"), f("Наталія", "Наталья"),
            f("Тетяна", "Татьяна"));

    private static final List<Surname> SURNAMES = List.of(
            s("Коваль", "Кузнец"), s("Кравець", "Портной"), s("Швець", "Сапожник"), s("Пасічник", "Пасечник"),
            s("Рибак", "Рыбаков"), s("Олійник", "Масленников"), s("Бондар", "Бондарь"), s("Гончар", "Гончаров"),
            s("Ткач", "Ткачёв"), s("Мірошник", "Мельник"), s("Теслюк", null), s("Скляр", "Стекольщик"),
            s("Петрів", null), s("Іванів", null), s("Данилів", null), s("Михайлів", null), s("Гнатів", null),
            s("Стефанів", null), s("Федорів", null), s("Романів", null), s("Дмитрів", null), s("Лукашів", null),
            s("Гуменюк", null), s("Паламарчук", null), s("Ярошенко", null), s("Литвиненко", null), s("Остапчук", null),
            s("Вакуленко", null), s("Горбань", null), s("Дорошенко", null), s("Зозуля", null), s("Кириленко", null),
            s("Лозинський", "Лозинська", null), s("Вишневський", "Вишневська", null),
            s("Заславський", "Заславська", null), s("Яворський", "Яворська", null),
            s("Соколов", "Соколова", null), s("Морозов", "Морозова", null), s("Яковлєв", "Яковлєва", null),
            s("Білоус", null), s("Чорновол", null), s("Тимошенко", null), s("Савченко", null), s("Гордієнко", null),
            s("Кушнір", null), s("Шаповал", null), s("Мельничук", null), s("Поліщук", null), s("Сидоренко", null),
            s("Семенюк", null));

    private static final List<String> PLACES = List.of("Маріуполь", "Бахмут", "Херсон", "Ізюм", "Гостомель",
            "Соледар", "Лиман", "Авдіївка", "Волноваха", "Попасна");

    /** Ukrainian national romanisation (2010), typed out here: the form a relative abroad or a passport uses. */
    private static final Map<Character, String> LATIN = Map.ofEntries(
            Map.entry('а', "a"), Map.entry('б', "b"), Map.entry('в', "v"), Map.entry('г', "h"), Map.entry('ґ', "g"),
            Map.entry('д', "d"), Map.entry('е', "e"), Map.entry('є', "ie"), Map.entry('ж', "zh"), Map.entry('з', "z"),
            Map.entry('и', "y"), Map.entry('і', "i"), Map.entry('ї', "i"), Map.entry('й', "i"), Map.entry('к', "k"),
            Map.entry('л', "l"), Map.entry('м', "m"), Map.entry('н', "n"), Map.entry('о', "o"), Map.entry('п', "p"),
            Map.entry('р', "r"), Map.entry('с', "s"), Map.entry('т', "t"), Map.entry('у', "u"), Map.entry('ф', "f"),
            Map.entry('х', "kh"), Map.entry('ц', "ts"), Map.entry('ч', "ch"), Map.entry('ш', "sh"),
            Map.entry('щ', "shch"), Map.entry('ь', ""), Map.entry('ю', "iu"), Map.entry('я', "ia"), Map.entry('\'', ""),
            Map.entry('-', "-"));

    /** Keys next to each other on the Ukrainian ЙЦУКЕН layout, row by row. */
    private static final String[] KEY_ROWS = {"йцукенгшщзхї", "фівапролджє", "ячсмитьбю"};

    /** Letters a scanner mistakes for each other on printed Cyrillic lists. */
    private static final String[][] OCR = {{"и", "н"}, {"ш", "щ"}, {"е", "є"}, {"і", "ї"}, {"п", "н"}, {"б", "ь"},
        {"л", "п"}, {"ц", "щ"}, {"о", "с"}, {"в", "з"}};

    /** True-match kinds, then the ambiguous kind, then hard negatives. */
    public static final List<String> KINDS = List.of("HOTLINE_SPLIT", "HOTLINE_ONE_STRING", "LATIN_INQUIRY",
            "RUSSIAN_LIST", "KEYBOARD_SLIP", "OCR_CONFUSION", "IV_WRITTEN_OV", "TRANSLATED_SURNAME",
            "YEAR_DIGITS_SWAPPED", "WRONG_DAY", "NAME_ONLY", "AGE_ONLY", "WOMAN_UNDER_MASCULINE_FORM",
            "AMBIGUOUS_NAMESAKES", "NAMESAKE_NOT_LISTED", "BROTHER_NOT_LISTED", "SAME_NAME_SAME_YEAR_NOT_LISTED");

    private final Random random;
    private final Map<String, WrittenPerson> listed = new LinkedHashMap<>();
    private final List<LabelledInquiry> inquiries = new ArrayList<>();
    private int nextId;

    public ClerkListSet(long seed) {
        this.random = new Random(seed);
    }

    /**
     * A set with {@code perKind} inquiries of each kind and {@code background} further listed people whom no inquiry
     * is about (the rest of the release lists).
     */
    public LabelledInquirySet generate(int perKind, int background) {
        for (int i = 0; i < background; i++) {
            Person person = person();
            listed.put(person.id(), listing(person));
        }
        for (String kind : KINDS) {
            for (int i = 0; i < perKind; i++) {
                add(kind);
            }
        }
        return new LabelledInquirySet("clerk-list set", List.copyOf(inquiries), Map.copyOf(listed));
    }

    private void add(String kind) {
        Person person = person();
        WrittenPerson sought = inquiry(person, true, true);
        WrittenPerson listing = listing(person);
        String truePerson = person.id();
        Set<String> namesakes = Set.of();
        boolean hardNegative = false;
        switch (kind) {
            case "HOTLINE_SPLIT" -> { }
            case "HOTLINE_ONE_STRING" -> sought = oneString(person, sought);
            case "LATIN_INQUIRY" -> sought = with(sought, List.of(new WrittenName(latin(surnameOf(person)),
                    latin(person.given().ua()), random.nextBoolean() ? latin(patronymic(person)) : null)));
            case "RUSSIAN_LIST" -> listing = withNames(listing, new WrittenName(russianSurname(person.surname(), person.sex()),
                    person.given().ru(), russianPatronymic(person)));
            case "KEYBOARD_SLIP" -> listing = withNames(listing, slip(listing.names().get(0), this::keyboardSlip));
            case "OCR_CONFUSION" -> listing = withNames(listing, slip(listing.names().get(0), this::ocrConfusion));
            case "IV_WRITTEN_OV" -> {
                person = personWithSurname(pickIvSurname());
                sought = inquiry(person, true, true);
                truePerson = person.id();
                WrittenName name = nativeName(person);
                listing = withNames(listing(person), new WrittenName(name.surname().replaceAll("ів$", "ов"),
                        name.givenName(), name.patronymic()));
            }
            case "TRANSLATED_SURNAME" -> {
                person = personWithSurname(pickTranslatable());
                sought = inquiry(person, true, true);
                truePerson = person.id();
                listing = withNames(listing(person), new WrittenName(person.surname().ruTranslated(), person.given().ru(),
                        russianPatronymic(person)));
            }
            case "YEAR_DIGITS_SWAPPED" -> listing = withBorn(listing, yearDigitsSwapped(person.born()));
            case "WRONG_DAY" -> listing = withBorn(listing, otherDay(person.born()));
            case "NAME_ONLY" -> sought = withBirth(sought, null, null);
            case "AGE_ONLY" -> sought = withBirth(sought, null, person.born().getYear() + random.nextInt(3) - 1);
            case "WOMAN_UNDER_MASCULINE_FORM" -> {
                person = personWithSurname(pickGendered(), true);
                WrittenName name = nativeName(person);
                sought = inquiry(person, true, random.nextBoolean());
                sought = with(sought, List.of(new WrittenName(person.surname().ua(), name.givenName(), name.patronymic())));
                listing = listing(person);
                truePerson = person.id();
            }
            case "AMBIGUOUS_NAMESAKES" -> {
                // two listed people with the same name; the relative knows only the name, or only a shared birth year
                Person namesake = new Person(id(), person.sex(), person.given(), person.surname(), otherFather(person),
                        person.born().plusDays(30 + random.nextInt(300)), person.category(), null, null, null);
                listed.put(namesake.id(), listing(namesake));
                boolean yearShared = namesake.born().getYear() == person.born().getYear() && random.nextBoolean();
                sought = new WrittenPerson(List.of(new WrittenName(surnameOf(person), person.given().ua(), null)), null,
                        random.nextBoolean() ? person.sex() : null, null,
                        yearShared ? person.born().getYear() : null, null, null, null, null);
                namesakes = Set.of(person.id(), namesake.id());
            }
            case "NAMESAKE_NOT_LISTED" -> {
                Person namesake = new Person(id(), person.sex(), person.given(), person.surname(),
                        random.nextInt(3) == 0 ? person.father() : otherFather(person), otherYear(person.born()),
                        person.category(), null, null, null);
                listing = listing(namesake);
                truePerson = null;
                hardNegative = true;
                person = namesake;
            }
            case "BROTHER_NOT_LISTED" -> {
                Given other = otherGiven(person.given());
                Person sibling = new Person(id(), other.female() ? Sex.FEMALE : Sex.MALE, other, person.surname(),
                        person.father(), person.born().plusYears(random.nextInt(7) - 3).plusDays(random.nextInt(200)),
                        person.category(), null, null, null);
                listing = listing(sibling);
                truePerson = null;
                hardNegative = true;
                person = sibling;
            }
            case "SAME_NAME_SAME_YEAR_NOT_LISTED" -> {
                LocalDate born = person.born().withMonth(1 + (person.born().getMonthValue() + 2 + random.nextInt(8)) % 12)
                        .withDayOfMonth(1 + random.nextInt(28));
                Person namesake = new Person(id(), person.sex(), person.given(), person.surname(), otherFather(person),
                        born, person.category(), null, null, null);
                listing = listing(namesake);
                truePerson = null;
                hardNegative = true;
                person = namesake;
            }
            default -> throw new IllegalArgumentException(kind);
        }
        listed.put(person.id(), listing);
        inquiries.add(new LabelledInquiry("q" + inquiries.size(), sought, truePerson, kind, namesakes, hardNegative));
    }

    // ------------------------------------------------------------------ people and how they are written

    private Person person() {
        Surname surname = SURNAMES.get(random.nextInt(SURNAMES.size()));
        return personWithSurname(surname);
    }

    private Person personWithSurname(Surname surname) {
        return personWithSurname(surname, random.nextInt(4) == 0);
    }

    private Person personWithSurname(Surname surname, boolean female) {
        Given given = pickGiven(female);
        LocalDate born = LocalDate.of(1962 + random.nextInt(42), 1 + random.nextInt(12), 1 + random.nextInt(28));
        PersonCategory category = female || random.nextInt(4) == 0 ? PersonCategory.CIVILIAN : PersonCategory.SOLDIER;
        String unit = category == PersonCategory.SOLDIER ? (10 + random.nextInt(150)) + " ОМБр" : null;
        return new Person(id(), female ? Sex.FEMALE : Sex.MALE, given, surname, pickGiven(false), born, category, unit,
                PLACES.get(random.nextInt(PLACES.size())), LocalDate.of(2022, 3, 1).plusDays(random.nextInt(900)));
    }

    private String id() {
        return "p" + nextId++;
    }

    private Given pickGiven(boolean female) {
        while (true) {
            Given given = GIVEN.get(random.nextInt(GIVEN.size()));
            if (given.female() == female) {
                return given;
            }
        }
    }

    private Given otherGiven(Given given) {
        while (true) {
            Given other = GIVEN.get(random.nextInt(GIVEN.size()));
            if (!other.ua().equals(given.ua())) {
                return other;
            }
        }
    }

    private Given otherFather(Person person) {
        while (true) {
            Given father = pickGiven(false);
            if (!father.ua().equals(person.father().ua())) {
                return father;
            }
        }
    }

    private Surname pickIvSurname() {
        while (true) {
            Surname surname = SURNAMES.get(random.nextInt(SURNAMES.size()));
            if (surname.ua().endsWith("ів")) {
                return surname;
            }
        }
    }

    private Surname pickTranslatable() {
        while (true) {
            Surname surname = SURNAMES.get(random.nextInt(SURNAMES.size()));
            if (surname.ruTranslated() != null) {
                return surname;
            }
        }
    }

    private Surname pickGendered() {
        while (true) {
            Surname surname = SURNAMES.get(random.nextInt(SURNAMES.size()));
            if (!surname.ua().equals(surname.uaFeminine())) {
                return surname;
            }
        }
    }

    private static String surnameOf(Person person) {
        return person.sex() == Sex.FEMALE ? person.surname().uaFeminine() : person.surname().ua();
    }

    private static String patronymic(Person person) {
        String father = person.father().ua();
        String stem = father.endsWith("о") ? father.substring(0, father.length() - 1)
                : father.endsWith("ій") ? father.substring(0, father.length() - 2) + "і"
                : father.endsWith("й") ? father.substring(0, father.length() - 1) : father;
        boolean soft = stem.endsWith("і");
        if (person.sex() == Sex.FEMALE) {
            return stem + (soft ? "ївна" : "івна");
        }
        return stem + (soft ? "йович" : "ович");
    }

    private static String russianPatronymic(Person person) {
        String father = person.father().ru();
        String stem = father.endsWith("ий") ? father.substring(0, father.length() - 2) + "и"
                : father.endsWith("й") ? father.substring(0, father.length() - 1)
                : father.endsWith("ь") ? father.substring(0, father.length() - 1) : father.replace("ё", "е");
        boolean soft = stem.endsWith("и") || father.endsWith("ь");
        if (person.sex() == Sex.FEMALE) {
            return stem + (soft ? "евна" : "овна");
        }
        return stem + (soft ? "евич" : "ович");
    }

    private static String russianSurname(Surname surname, Sex sex) {
        String ua = sex == Sex.FEMALE ? surname.uaFeminine() : surname.ua();
        // a Russian clerk writes Ukrainian letters the Russian way
        return ua.replace("ій", "ий").replace("і", "и").replace("ї", "йи").replace("є", "е").replace("ськ", "ск");
    }

    private static WrittenName nativeName(Person person) {
        return new WrittenName(surnameOf(person), person.given().ua(), patronymic(person));
    }

    private WrittenPerson listing(Person person) {
        List<WrittenName> names = new ArrayList<>();
        names.add(nativeName(person));
        if (random.nextInt(10) < 6) {
            WrittenName n = nativeName(person);
            names.add(new WrittenName(latin(n.surname()), latin(n.givenName()), latin(n.patronymic())));
        }
        return new WrittenPerson(names, null, null, person.born(), null, person.category(), person.unit(),
                random.nextBoolean() ? person.place() : null, random.nextBoolean() ? person.captured() : null);
    }

    private WrittenPerson inquiry(Person person, boolean withDate, boolean withSex) {
        WrittenName name = nativeName(person);
        return new WrittenPerson(List.of(new WrittenName(name.surname(), name.givenName(),
                random.nextInt(3) > 0 ? name.patronymic() : null)), null, withSex && random.nextBoolean() ? person.sex() : null,
                withDate ? person.born() : null, null, random.nextInt(3) > 0 ? person.category() : null,
                random.nextInt(3) == 0 ? person.unit() : null, random.nextInt(3) == 0 ? person.place() : null, null);
    }

    private WrittenPerson oneString(Person person, WrittenPerson sought) {
        WrittenName name = nativeName(person);
        boolean latin = random.nextInt(4) == 0;
        String s = latin ? latin(name.surname()) : name.surname();
        String g = latin ? latin(name.givenName()) : name.givenName();
        String p = random.nextBoolean() ? (latin ? latin(name.patronymic()) : name.patronymic()) : null;
        String full = switch (random.nextInt(4)) {
            case 0 -> s + " " + g + (p == null ? "" : " " + p);
            case 1 -> g + (p == null ? "" : " " + p) + " " + s;
            case 2 -> s + ", " + g + (p == null ? "" : " " + p);
            default -> g + " " + s;
        };
        return new WrittenPerson(List.of(), full, random.nextBoolean() ? person.sex() : null, sought.birthDate(),
                null, sought.category(), sought.unit(), sought.capturePlace(), null);
    }

    static String latin(String cyrillic) {
        if (cyrillic == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        String lower = cyrillic.toLowerCase();
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean first = i == 0 || lower.charAt(i - 1) == '-';
            String l = switch (c) {
                // at the start of a word the 2010 table writes є ї й ю я as ye yi y yu ya
                case 'є' -> first ? "ye" : "ie";
                case 'ї' -> first ? "yi" : "i";
                case 'й' -> first ? "y" : "i";
                case 'ю' -> first ? "yu" : "iu";
                case 'я' -> first ? "ya" : "ia";
                default -> LATIN.getOrDefault(c, String.valueOf(c));
            };
            out.append(l);
        }
        if (out.length() == 0) {
            return out.toString();
        }
        return Character.toUpperCase(out.charAt(0)) + out.substring(1);
    }

    // ------------------------------------------------------------------ the clerk's errors

    private WrittenName slip(WrittenName name, java.util.function.UnaryOperator<String> error) {
        return random.nextInt(3) < 2 ? new WrittenName(error.apply(name.surname()), name.givenName(), name.patronymic())
                : new WrittenName(name.surname(), error.apply(name.givenName()), name.patronymic());
    }

    private String keyboardSlip(String word) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int at = 1 + random.nextInt(Math.max(1, word.length() - 1));
            char c = Character.toLowerCase(word.charAt(at));
            for (String row : KEY_ROWS) {
                int k = row.indexOf(c);
                if (k >= 0) {
                    int n = k == 0 ? 1 : k == row.length() - 1 ? k - 1 : k + (random.nextBoolean() ? 1 : -1);
                    return word.substring(0, at) + row.charAt(n) + word.substring(at + 1);
                }
            }
        }
        return word;
    }

    private String ocrConfusion(String word) {
        for (int attempt = 0; attempt < 40; attempt++) {
            String[] pair = OCR[random.nextInt(OCR.length)];
            boolean forward = random.nextBoolean();
            String from = forward ? pair[0] : pair[1];
            String to = forward ? pair[1] : pair[0];
            int at = word.indexOf(from, 1);
            if (at > 0) {
                return word.substring(0, at) + to + word.substring(at + 1);
            }
        }
        return keyboardSlip(word);
    }

    private static LocalDate yearDigitsSwapped(LocalDate born) {
        int year = born.getYear();
        int tens = year / 10 % 10;
        int ones = year % 10;
        if (tens == ones) {
            return born.plusYears(ones == 9 ? -10 : 10);
        }
        int swapped = year - tens * 10 - ones + ones * 10 + tens;
        return born.withYear(swapped);
    }

    private LocalDate otherDay(LocalDate born) {
        int day = born.getDayOfMonth();
        int other = day;
        while (other == day) {
            other = 1 + random.nextInt(28);
        }
        return born.withDayOfMonth(other);
    }

    private LocalDate otherYear(LocalDate born) {
        return born.plusYears((random.nextBoolean() ? 1 : -1) * (2 + random.nextInt(15))).withDayOfMonth(1 + random.nextInt(28));
    }

    private static WrittenPerson with(WrittenPerson d, List<WrittenName> names) {
        return new WrittenPerson(names, d.fullName(), d.sex(), d.birthDate(), d.birthYear(), d.category(), d.unit(),
                d.capturePlace(), d.captureDate());
    }

    /** The list as this clerk wrote it: one form only, so no correct Latin form hides the error. */
    private static WrittenPerson withNames(WrittenPerson d, WrittenName only) {
        return with(d, List.of(only));
    }

    private static WrittenPerson withBorn(WrittenPerson d, LocalDate born) {
        return new WrittenPerson(d.names(), d.fullName(), d.sex(), born, null, d.category(), d.unit(),
                d.capturePlace(), d.captureDate());
    }

    private static WrittenPerson withBirth(WrittenPerson d, LocalDate born, Integer year) {
        return new WrittenPerson(d.names(), d.fullName(), d.sex(), born, year, d.category(), d.unit(),
                d.capturePlace(), d.captureDate());
    }

    private static Given m(String ua, String ru) {
        return new Given(ua, ru, false);
    }

    private static Given f(String ua, String ru) {
        return new Given(ua, ru, true);
    }

    private static Surname s(String ua, String ruTranslated) {
        return new Surname(ua, ua, ruTranslated);
    }

    private static Surname s(String ua, String uaFeminine, String ruTranslated) {
        return new Surname(ua, uaFeminine, ruTranslated);
    }
}
