package org.homecoming.synthetic.lists;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import net.datafaker.Faker;
import org.homecoming.synthetic.names.GivenName;
import org.homecoming.synthetic.names.GivenNames;
import org.homecoming.synthetic.names.Transliteration;

/**
 * Writes the synthetic release lists of the scenario's stage 1 into {@code scenario/}: the 390 persons Russia
 * frees to Ukraine (270 soldiers, 120 civilians, some of them written in Russian spelling, as a Russian list
 * would) with a last-minute amendment, and the 390 persons Ukraine frees to Russia. Every person is
 * invented: surnames come from datafaker's uk and ru locales, combined at random with a fixed seed, so the
 * files are the same at every run.
 *
 * <p>Run: {@code java -cp <synthetic classpath> org.homecoming.synthetic.lists.ScenarioLists [directory]}; see
 * synthetic/README.md.
 */
public final class ScenarioLists {

    /** Where the local stack and the tests take the scenario from: rounds.json and the three lists. */
    public static final String RESOURCES = "/scenario/";

    static final long SEED = 20261205L;
    static final LocalDate EXCHANGE_DATE = LocalDate.of(2026, 12, 5);

    /** Surnames of well-known historical figures that datafaker's uk list holds; a synthetic person must not carry them. */
    private static final Set<String> FAMOUS = Set.of("Бандера", "Петлюра", "Шухевич", "Скоропадський", "Скоропадська",
            "Махно", "Сірко", "Коцюбинський", "Коцюбинська", "Андрухович", "Сосюра", "Шевченко", "Мазепа",
            "Хитрово", "Лобачевський", "Лобачевська", "Корнїйчук", "Громико", "Свидригайло", "Потоцький", "Потоцька");

    /** Common Ukrainian men's names, in the order the committed lists were drawn in. */
    private static final List<GivenName> UA_MEN = GivenNames.byUkrainian("Олександр", "Андрій", "Сергій", "Дмитро",
            "Микола", "Іван", "Петро", "Павло", "Василь", "Юрій", "Віктор", "Володимир", "Михайло", "Олексій", "Ігор",
            "Євген", "Олег", "Максим", "Роман", "Богдан", "Тарас", "Степан", "Віталій", "Анатолій", "Ярослав", "Артем",
            "Денис", "Назар", "Григорій", "Костянтин");
    private static final List<GivenName> UA_WOMEN = GivenNames.byUkrainian("Олена", "Ганна", "Наталія", "Тетяна",
            "Ольга", "Ірина", "Катерина", "Марія", "Людмила", "Галина", "Надія", "Світлана", "Оксана", "Юлія", "Віра",
            "Любов");

    private static final String[] FRONT = {"Покровськ, Донецька обл.", "Торецьк, Донецька обл.",
            "Часів Яр, Донецька обл.", "Курахове, Донецька обл.", "Вовчанськ, Харківська обл.",
            "Куп’янськ, Харківська обл.", "Роботине, Запорізька обл.", "Гуляйполе, Запорізька обл."};
    /** Lines far from the rest: across the border in the Kursk region, and the left bank of the Dnipro. */
    private static final String[] DISTANT_FRONT = {"Суджа, Курська обл. (РФ)", "Кринки, Херсонська обл.",
            "Мала Локня, Курська обл. (РФ)"};
    private static final String[] OCCUPIED = {"Мелітополь, Запорізька обл.", "Енергодар, Запорізька обл.",
            "Нова Каховка, Херсонська обл.", "Бердянськ, Запорізька обл.", "Скадовськ, Херсонська обл."};
    private static final String RAID_PLACE = "с. Прикордонне, Сумська обл.";
    private static final LocalDate RAID_DATE = LocalDate.of(2025, 2, 14);
    private static final String[] RU_CAPTURE = {"Курська обл. (РФ)", "Бєлгородська обл. (РФ)",
            "Донецька обл.", "Запорізька обл.", "Харківська обл.", "Луганська обл."};

    private final Faker uk;
    private final Faker ru;
    private final Random random;

    ScenarioLists(long seed) {
        this.random = new Random(seed);
        this.uk = new Faker(Locale.forLanguageTag("uk"), new Random(seed + 1));
        this.ru = new Faker(Locale.forLanguageTag("ru"), new Random(seed + 2));
    }

    /** One synthetic person as a list writes them; {@code latin} is null when the list gives no Latin name. */
    record Person(String personId, String surname, String givenName, String patronymic, Transliteration latin,
                  LocalDate birthDate, String category, String unit, String capturePlace, LocalDate captureDate) {

        Person withId(String other) {
            return new Person(other, surname, givenName, patronymic, latin, birthDate, category, unit, capturePlace,
                    captureDate);
        }

        Person withSurname(String other) {
            return new Person(personId, other, givenName, patronymic, latin, birthDate, category, unit, capturePlace,
                    captureDate);
        }

        String csvRow() {
            List<String> fields = new ArrayList<>(12);
            fields.add(personId);
            fields.add(surname);
            fields.add(givenName);
            fields.add(patronymic);
            fields.add(latin == null ? null : latin.latin(surname));
            fields.add(latin == null ? null : latin.latin(givenName));
            fields.add(latin == null || patronymic == null ? null : latin.latin(patronymic));
            fields.add(birthDate == null ? null : birthDate.toString());
            fields.add(category);
            fields.add(unit);
            fields.add(capturePlace);
            fields.add(captureDate.toString());
            return ListCsv.row(fields);
        }
    }

    /** Positions (0-based) of the persons whose surname the first version misspells. */
    static final int[] MISSPELLED = {4, 77, 301};
    /** Positions of the soldiers withdrawn at the last minute. */
    static final int[] WITHDRAWN = {120, 250};

    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args.length > 0 ? args[0] : "synthetic/src/main/resources/scenario");
        Files.createDirectories(directory);
        ScenarioLists scenario = new ScenarioLists(SEED);
        List<Person> releasedByRussia = scenario.releasedByRussia();
        write(directory.resolve("stage-1-released-by-ru.csv"), firstVersion(releasedByRussia));
        write(directory.resolve("stage-1-released-by-ru-amended.csv"), scenario.lastMinuteAmendment(releasedByRussia));
        write(directory.resolve("stage-1-released-by-ua.csv"), scenario.releasedByUkraine());
        System.out.println("Wrote the stage 1 lists to " + directory.toAbsolutePath());
    }

    /**
     * The stage at {@code scale} times its size, for load and fault-injection runs: {@code scale} blocks of persons, each
     * drawn like the committed lists from its own seed (block 0 is the committed lists themselves), numbered on
     * ({@code s1-ua-0001} … {@code s1-ua-0392}, then {@code s1-ua-0401} …). Also writes rounds.json with the planned
     * numbers multiplied, from the committed {@code rounds} text.
     */
    public static void writeScaled(Path directory, int scale, String rounds) throws IOException {
        if (scale < 1 || scale > 24) {
            throw new IllegalArgumentException("The scale must be between 1 and 24 (person ids have four digits), was " + scale);
        }
        Files.createDirectories(directory);
        List<Person> first = new ArrayList<>();
        List<Person> amended = new ArrayList<>();
        List<Person> toRussia = new ArrayList<>();
        for (int block = 0; block < scale; block++) {
            ScenarioLists scenario = new ScenarioLists(SEED + block);
            List<Person> releasedByRussia = scenario.releasedByRussia();
            first.addAll(renumbered(firstVersion(releasedByRussia), block));
            amended.addAll(renumbered(scenario.lastMinuteAmendment(releasedByRussia), block));
            toRussia.addAll(renumbered(scenario.releasedByUkraine(), block));
        }
        write(directory.resolve("stage-1-released-by-ru.csv"), first);
        write(directory.resolve("stage-1-released-by-ru-amended.csv"), amended);
        write(directory.resolve("stage-1-released-by-ua.csv"), toRussia);
        java.util.regex.Matcher planned = java.util.regex.Pattern.compile("(\"planned(?:Soldiers|Civilians)\": *)(\\d+)")
                .matcher(rounds);
        StringBuilder scaledRounds = new StringBuilder();
        while (planned.find()) {
            planned.appendReplacement(scaledRounds, planned.group(1) + Integer.parseInt(planned.group(2)) * scale);
        }
        planned.appendTail(scaledRounds);
        Files.writeString(directory.resolve("rounds.json"), scaledRounds, StandardCharsets.UTF_8);
    }

    /** Block {@code block}'s ids: the number of a person in its block, plus 400 per block before it. */
    static List<Person> renumbered(List<Person> persons, int block) {
        return persons.stream().map(person -> {
            int dash = person.personId().lastIndexOf('-');
            int number = Integer.parseInt(person.personId().substring(dash + 1)) + 400 * block;
            return person.withId(person.personId().substring(0, dash + 1) + "%04d".formatted(number));
        }).toList();
    }

    /** 270 Ukrainian soldiers and 120 civilians; about a quarter written in Russian spelling, as a Russian clerk would. */
    List<Person> releasedByRussia() {
        List<Person> persons = new ArrayList<>();
        for (int i = 1; i <= 390; i++) {
            boolean soldier = i <= 270;
            boolean woman = soldier ? random.nextInt(100) < 6 : random.nextInt(100) < 45;
            boolean russianSpelling = random.nextInt(100) < 25;
            GivenName father = pick(UA_MEN);
            GivenName given = woman ? pick(UA_WOMEN) : pick(UA_MEN);
            String surname = ukrainianSurname(woman);
            String givenName = russianSpelling ? given.russian() : given.ukrainian();
            String patronymic = russianSpelling ? father.russianPatronymic(woman) : father.ukrainianPatronymic(woman);
            if (russianSpelling) {
                surname = russified(surname);
            }
            if (random.nextInt(100) < 8) {
                patronymic = null;
            }
            LocalDate birth = random.nextInt(100) < 6 ? null : birthDate(soldier ? 1968 : 1950, 2005);
            String unit = null;
            String place;
            LocalDate capture;
            if (soldier) {
                unit = "в/ч А" + (1000 + random.nextInt(9000));
                if (i <= 20) {
                    // held about two years by the exchange
                    place = pick(FRONT);
                    capture = between(LocalDate.of(2024, 10, 1), LocalDate.of(2025, 1, 15));
                } else if (i <= 60) {
                    place = pick(DISTANT_FRONT);
                    capture = between(LocalDate.of(2024, 8, 10), LocalDate.of(2025, 3, 15));
                } else {
                    place = pick(FRONT);
                    capture = between(LocalDate.of(2025, 1, 15), LocalDate.of(2026, 10, 31));
                }
            } else if (i <= 310) {
                // the civilians taken in one cross-border raid
                place = RAID_PLACE;
                capture = RAID_DATE;
            } else {
                place = pick(OCCUPIED);
                capture = between(LocalDate.of(2023, 6, 1), LocalDate.of(2026, 6, 30));
            }
            Transliteration latin = random.nextInt(100) < 85
                    ? (russianSpelling ? Transliteration.RUSSIAN : Transliteration.UKRAINIAN) : null;
            persons.add(new Person("s1-ua-%04d".formatted(i), surname, givenName, patronymic, latin, birth,
                    soldier ? "SOLDIER" : "CIVILIAN", unit, place, capture));
        }
        return persons;
    }

    /** The list as first sent: three surnames with two letters swapped. */
    static List<Person> firstVersion(List<Person> persons) {
        List<Person> first = new ArrayList<>(persons);
        for (int position : MISSPELLED) {
            Person person = first.get(position);
            first.set(position, person.withSurname(swapped(person.surname())));
        }
        return first;
    }

    /** The same list hours before the exchange: misspellings corrected, two soldiers withdrawn, two added. */
    List<Person> lastMinuteAmendment(List<Person> persons) {
        List<Person> amended = new ArrayList<>();
        for (int position = 0; position < persons.size(); position++) {
            if (position != WITHDRAWN[0] && position != WITHDRAWN[1]) {
                amended.add(persons.get(position));
            }
        }
        for (int i = 391; i <= 392; i++) {
            GivenName given = pick(UA_MEN);
            GivenName father = pick(UA_MEN);
            amended.add(new Person("s1-ua-%04d".formatted(i), ukrainianSurname(false), given.ukrainian(),
                    father.ukrainianPatronymic(false),
                    Transliteration.UKRAINIAN, birthDate(1975, 2004), "SOLDIER", "в/ч А" + (1000 + random.nextInt(9000)),
                    pick(FRONT), between(LocalDate.of(2025, 6, 1), LocalDate.of(2026, 9, 30))));
        }
        return amended;
    }

    /** 375 Russian soldiers and 15 civilians, in Russian spelling. */
    List<Person> releasedByUkraine() {
        List<Person> persons = new ArrayList<>();
        for (int i = 1; i <= 390; i++) {
            boolean soldier = i <= 375;
            boolean woman = !soldier && random.nextBoolean();
            String surname = ru.resolve(woman ? "name.female_last_name" : "name.male_last_name");
            String given = ru.resolve(woman ? "name.female_first_name" : "name.male_first_name");
            String patronymic = ru.resolve(woman ? "name.female_middle_name" : "name.male_middle_name");
            boolean heldLong = i <= 15;
            LocalDate capture = heldLong ? between(LocalDate.of(2024, 8, 6), LocalDate.of(2024, 12, 31))
                    : between(LocalDate.of(2025, 1, 1), LocalDate.of(2026, 10, 31));
            String place = heldLong ? "Курська обл. (РФ)" : pick(RU_CAPTURE);
            persons.add(new Person("s1-ru-%04d".formatted(i), surname, given, patronymic,
                    random.nextInt(100) < 90 ? Transliteration.RUSSIAN : null,
                    random.nextInt(100) < 4 ? null : birthDate(1965, 2006), soldier ? "SOLDIER" : "CIVILIAN",
                    soldier ? "в/ч " + (10000 + random.nextInt(90000)) : null, place, capture));
        }
        return persons;
    }

    private String ukrainianSurname(boolean woman) {
        for (int attempt = 0; attempt < 100; attempt++) {
            String surname = uk.resolve(woman ? "name.female_last_name" : "name.male_last_name");
            if (!FAMOUS.contains(surname)) {
                return surname;
            }
        }
        throw new IllegalStateException("datafaker keeps answering famous surnames");
    }

    /** A Ukrainian surname as a Russian list writes it: і and ї → и, є → е, ґ → г, -ський → -ский, no apostrophe. */
    static String russified(String ukrainian) {
        StringBuilder russian = new StringBuilder(ukrainian.length());
        for (char c : ukrainian.toCharArray()) {
            russian.append(switch (c) {
                case 'і', 'ї' -> "и";
                case 'І', 'Ї' -> "И";
                case 'є' -> "е";
                case 'Є' -> "Е";
                case 'ґ' -> "г";
                case 'Ґ' -> "Г";
                case '’', '\'' -> "";
                default -> String.valueOf(c);
            });
        }
        return russian.toString().replace("ський", "ский").replace("цький", "цкий")
                .replace("ська", "ская").replace("цька", "цкая");
    }

    /** A typing slip: two letters in the middle of the word swapped. */
    static String swapped(String word) {
        int at = word.length() / 2;
        char[] letters = word.toCharArray();
        char first = letters[at - 1];
        letters[at - 1] = letters[at];
        letters[at] = first;
        String result = new String(letters);
        return result.equals(word) ? word + word.charAt(word.length() - 1) : result;
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private LocalDate birthDate(int fromYear, int toYear) {
        return between(LocalDate.of(fromYear, 1, 1), LocalDate.of(toYear, 12, 31));
    }

    private LocalDate between(LocalDate from, LocalDate to) {
        return from.plusDays(random.nextInt((int) (to.toEpochDay() - from.toEpochDay()) + 1));
    }

    private static void write(Path file, List<Person> persons) throws IOException {
        StringBuilder text = new StringBuilder(ListCsv.HEADER);
        persons.forEach(person -> text.append(person.csvRow()).append("\r\n"));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
