package org.homecoming.synthetic.names;

import java.util.Map;

/**
 * Cyrillic to Latin as the two sides' passports write names: Ukrainian by the national system of 2010
 * (KMU No. 55: Oleksandr, Yurii, Zghurskyi), Russian by ICAO Doc 9303 as Russian passports have used since
 * 2014 (Aleksandr, Dmitrii, Sergei). For synthetic lists and labelled pairs; matching uses ICU, so the labelled
 * set tests the matcher against spellings it did not produce itself.
 */
public enum Transliteration {
    UKRAINIAN(Map.ofEntries(
            Map.entry('а', "a"), Map.entry('б', "b"), Map.entry('в', "v"), Map.entry('г', "h"), Map.entry('ґ', "g"),
            Map.entry('д', "d"), Map.entry('е', "e"), Map.entry('є', "ie"), Map.entry('ж', "zh"), Map.entry('з', "z"),
            Map.entry('и', "y"), Map.entry('і', "i"), Map.entry('ї', "i"), Map.entry('й', "i"), Map.entry('к', "k"),
            Map.entry('л', "l"), Map.entry('м', "m"), Map.entry('н', "n"), Map.entry('о', "o"), Map.entry('п', "p"),
            Map.entry('р', "r"), Map.entry('с', "s"), Map.entry('т', "t"), Map.entry('у', "u"), Map.entry('ф', "f"),
            Map.entry('х', "kh"), Map.entry('ц', "ts"), Map.entry('ч', "ch"), Map.entry('ш', "sh"),
            Map.entry('щ', "shch"), Map.entry('ь', ""), Map.entry('ю', "iu"), Map.entry('я', "ia"),
            Map.entry('’', ""), Map.entry('\'', "")),
            // at the start of a word these are written as in "Yevhen", "Yurii", "Yana", "Yizhak", "Yosyp"
            Map.of('є', "ye", 'ї', "yi", 'й', "y", 'ю', "yu", 'я', "ya")),
    RUSSIAN(Map.ofEntries(
            Map.entry('а', "a"), Map.entry('б', "b"), Map.entry('в', "v"), Map.entry('г', "g"), Map.entry('д', "d"),
            Map.entry('е', "e"), Map.entry('ё', "e"), Map.entry('ж', "zh"), Map.entry('з', "z"), Map.entry('и', "i"),
            Map.entry('й', "i"), Map.entry('к', "k"), Map.entry('л', "l"), Map.entry('м', "m"), Map.entry('н', "n"),
            Map.entry('о', "o"), Map.entry('п', "p"), Map.entry('р', "r"), Map.entry('с', "s"), Map.entry('т', "t"),
            Map.entry('у', "u"), Map.entry('ф', "f"), Map.entry('х', "kh"), Map.entry('ц', "ts"), Map.entry('ч', "ch"),
            Map.entry('ш', "sh"), Map.entry('щ', "shch"), Map.entry('ъ', "ie"), Map.entry('ы', "y"), Map.entry('ь', ""),
            Map.entry('э', "e"), Map.entry('ю', "iu"), Map.entry('я', "ia")),
            Map.of());

    private final Map<Character, String> letters;
    private final Map<Character, String> wordInitial;

    Transliteration(Map<Character, String> letters, Map<Character, String> wordInitial) {
        this.letters = letters;
        this.wordInitial = wordInitial;
    }

    public String latin(String cyrillic) {
        StringBuilder latin = new StringBuilder(cyrillic.length() + 4);
        boolean wordStart = true;
        for (int i = 0; i < cyrillic.length(); i++) {
            char original = cyrillic.charAt(i);
            char lower = Character.toLowerCase(original);
            String mapped = wordStart && wordInitial.containsKey(lower) ? wordInitial.get(lower) : letters.get(lower);
            if (this == UKRAINIAN && lower == 'г' && i > 0 && Character.toLowerCase(cyrillic.charAt(i - 1)) == 'з') {
                mapped = "gh"; // зг is zgh, so that it is not read as zh
            }
            if (mapped == null) {
                latin.append(original);
            } else if (Character.isUpperCase(original) && !mapped.isEmpty()) {
                latin.append(Character.toUpperCase(mapped.charAt(0))).append(mapped, 1, mapped.length());
            } else {
                latin.append(mapped);
            }
            wordStart = !Character.isLetter(original) && original != '’' && original != '\'';
        }
        return latin.toString();
    }
}
