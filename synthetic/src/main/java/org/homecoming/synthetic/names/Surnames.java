package org.homecoming.synthetic.names;

import java.util.List;

/**
 * Common Ukrainian surnames, for load where names need only be plausible and combinations distinct. The
 * scenario lists take theirs from datafaker, and the labelled set builds its own from roots and suffixes.
 */
public final class Surnames {

    public static final List<String> COMMON = List.of("Петренко", "Коваленко", "Бондаренко", "Шевченко", "Ткаченко",
            "Кравченко", "Олійник", "Мельник", "Савченко", "Руденко", "Левченко", "Гончар", "Лисенко", "Марченко",
            "Кузьменко", "Павленко");

    private Surnames() {
    }
}
