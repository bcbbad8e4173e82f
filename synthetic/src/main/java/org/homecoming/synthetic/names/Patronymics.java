package org.homecoming.synthetic.names;

/** Patronymics from a father's given name, by the usual rules and their common exceptions. */
final class Patronymics {

    private Patronymics() {
    }

    static String ukrainian(String father, boolean female) {
        switch (father) {
            case "Ілля" -> {
                return female ? "Іллівна" : "Ілліч";
            }
            case "Микола" -> {
                return female ? "Миколаївна" : "Миколайович";
            }
            case "Федір" -> {
                return female ? "Федорівна" : "Федорович";
            }
            case "Григорій" -> {
                return female ? "Григорівна" : "Григорович";
            }
            default -> { }
        }
        if (father.endsWith("ій")) {
            String stem = father.substring(0, father.length() - 1);
            return female ? stem + "ївна" : stem + "йович";
        }
        String stem = father;
        if (father.endsWith("о") || father.endsWith("а")) {
            stem = father.substring(0, father.length() - 1);
        }
        if (female) {
            return (stem.endsWith("ь") ? stem.substring(0, stem.length() - 1) : stem) + "івна";
        }
        return stem + "ович";
    }

    static String russian(String father, boolean female) {
        switch (father) {
            case "Илья" -> {
                return female ? "Ильинична" : "Ильич";
            }
            case "Никита" -> {
                return female ? "Никитична" : "Никитич";
            }
            case "Павел" -> {
                return female ? "Павловна" : "Павлович";
            }
            case "Михаил" -> {
                return female ? "Михайловна" : "Михайлович";
            }
            case "Дмитрий" -> {
                return female ? "Дмитриевна" : "Дмитриевич";
            }
            case "Пётр", "Петр" -> {
                return female ? "Петровна" : "Петрович";
            }
            default -> { }
        }
        if (father.endsWith("ей") || father.endsWith("ай")) {
            String stem = father.substring(0, father.length() - 1);
            return stem + (female ? "евна" : "евич");
        }
        if (father.endsWith("ий")) {
            String stem = father.substring(0, father.length() - 2);
            return stem + (female ? "ьевна" : "ьевич");
        }
        if (father.endsWith("ь")) {
            String stem = father.substring(0, father.length() - 1);
            return stem + (female ? "евна" : "евич");
        }
        return father + (female ? "овна" : "ович");
    }
}
