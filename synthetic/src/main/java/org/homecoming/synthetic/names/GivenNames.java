package org.homecoming.synthetic.names;

import java.util.Arrays;
import java.util.List;

/**
 * The one table of given names behind every synthetic person: the scenario lists, the labelled matching
 * set and the benchmarks' load. Order matters: generators draw by index with a fixed seed, so appending keeps
 * what they wrote before, and reordering does not.
 */
public final class GivenNames {

    /** Men's names; the last two are not in the matcher's equivalence file, so it must cope through spelling alone. */
    public static final List<GivenName> MALE = List.of(
            male("Олександр", "Александр", "Alexander"), male("Микола", "Николай", "Nicholas"),
            male("Сергій", "Сергей", "Sergey"), male("Андрій", "Андрей", "Andrew"),
            male("Олексій", "Алексей", "Alexey"), male("Володимир", "Владимир", "Vladimir"),
            male("Дмитро", "Дмитрий", "Dmitry"), male("Іван", "Иван", "Ivan"), male("Петро", "Пётр", "Peter"),
            male("Василь", "Василий", "Vasily"), male("Юрій", "Юрий", "Yuri"), male("Віктор", "Виктор", "Victor"),
            male("Віталій", "Виталий", "Vitaly"), male("Богдан", "Богдан", "Bogdan"), male("Тарас", "Тарас", "Taras"),
            male("Ярослав", "Ярослав", "Yaroslav"), male("Максим", "Максим", "Maxim"),
            male("Михайло", "Михаил", "Michael"), male("Євген", "Евгений", "Eugene"), male("Роман", "Роман", "Roman"),
            male("Ігор", "Игорь", "Igor"), male("Олег", "Олег", "Oleg"), male("Павло", "Павел", "Paul"),
            male("Анатолій", "Анатолий", "Anatoly"), male("Григорій", "Григорий", "Gregory"),
            male("Денис", "Денис", "Denis"), male("Артем", "Артём", "Artem"), male("Кирило", "Кирилл", "Kirill"),
            male("Степан", "Степан", "Stepan"), male("Федір", "Федор", "Fedor"), male("Ілля", "Илья", "Ilya"),
            male("Костянтин", "Константин", "Konstantin"), male("Леонід", "Леонид", "Leonid"),
            male("Валентин", "Валентин", "Valentin"), male("Борис", "Борис", "Boris"), male("Назар", "Назар", "Nazar"),
            male("Микита", "Никита", "Nikita"),
            male("Остап", "Остап", "Ostap"), male("Дем'ян", "Демьян", "Demian"));

    public static final List<GivenName> FEMALE = List.of(
            female("Олександра", "Александра", "Alexandra"), female("Ольга", "Ольга", "Olga"),
            female("Наталія", "Наталья", "Natalia"), female("Тетяна", "Татьяна", "Tatiana"),
            female("Ірина", "Ирина", "Irina"), female("Олена", "Елена", "Elena"),
            female("Світлана", "Светлана", "Svetlana"), female("Юлія", "Юлия", "Julia"),
            female("Марія", "Мария", "Maria"), female("Ганна", "Анна", "Anna"),
            female("Катерина", "Екатерина", "Catherine"), female("Людмила", "Людмила", "Ludmila"),
            female("Галина", "Галина", "Galina"), female("Оксана", "Оксана", "Oksana"),
            female("Валентина", "Валентина", "Valentina"), female("Віра", "Вера", "Vera"),
            female("Надія", "Надежда", "Nadia"), female("Любов", "Любовь", "Lubov"),
            female("Лариса", "Лариса", "Larisa"), female("Вікторія", "Виктория", "Victoria"),
            female("Анастасія", "Анастасия", "Anastasia"), female("Дарія", "Дарья", "Daria"),
            female("Софія", "София", "Sofia"), female("Марина", "Марина", "Marina"), female("Інна", "Инна", "Inna"),
            female("Ніна", "Нина", "Nina"), female("Яна", "Яна", "Yana"),
            female("Соломія", "Соломия", "Solomiia"), female("Богдана", "Богдана", "Bohdana"),
            female("Євгенія", "Евгения", "Eugenia"), female("Ярослава", "Ярослава", "Yaroslava"));

    private GivenNames() {
    }

    /** The names of the table with these Ukrainian forms, in the order asked. */
    public static List<GivenName> byUkrainian(String... ukrainian) {
        return Arrays.stream(ukrainian).map(GivenNames::byUkrainian).toList();
    }

    public static GivenName byUkrainian(String ukrainian) {
        for (List<GivenName> names : List.of(MALE, FEMALE)) {
            for (GivenName name : names) {
                if (name.ukrainian().equals(ukrainian)) {
                    return name;
                }
            }
        }
        throw new IllegalArgumentException("no given name " + ukrainian);
    }

    private static GivenName male(String ukrainian, String russian, String english) {
        return new GivenName(ukrainian, russian, english, false);
    }

    private static GivenName female(String ukrainian, String russian, String english) {
        return new GivenName(ukrainian, russian, english, true);
    }
}
