package org.homecoming.reunification.matching;

/**
 * Spelling-independent forms of a transliterated East-Slavic name.
 *
 * <p>The same Cyrillic name reaches us through several romanisation systems (BGN, the Ukrainian and
 * Russian passport systems, English habits), which disagree in predictable places: г as h or g, х as kh or
 * h, й/ї/ю/я as y, i, j, iu or ya, ц as ts or c, ks or x. {@link #canonical} erases exactly those
 * differences and nothing else, so two spellings of one name become equal while different names stay
 * different. {@link #phoneticKey} goes further (a consonant skeleton) and is only used to find candidates,
 * never as evidence.
 */
final class Spelling {

    private Spelling() {
    }

    /**
     * The canonical spelling: one letter per sound class, doubled letters collapsed, iotated vowels reduced.
     * Upper-case letters stand for the sounds Latin writes with digraphs (S=ш, Z=ж, C=ч); c is ц.
     */
    static String canonical(String latin) {
        StringBuilder sounds = new StringBuilder(latin.length());
        int i = 0;
        while (i < latin.length()) {
            if (latin.startsWith("shch", i)) {
                sounds.append("SC");
                i += 4;
            } else if (latin.startsWith("sch", i) || latin.startsWith("szcz", i)) {
                sounds.append("SC");
                i += latin.startsWith("szcz", i) ? 4 : 3;
            } else if (latin.startsWith("zh", i)) {
                sounds.append('Z');
                i += 2;
            } else if (latin.startsWith("kh", i)) {
                sounds.append('h');
                i += 2;
            } else if (latin.startsWith("ch", i) || latin.startsWith("cz", i)) {
                sounds.append('C');
                i += 2;
            } else if (latin.startsWith("sh", i) || latin.startsWith("sz", i)) {
                sounds.append('S');
                i += 2;
            } else if (latin.startsWith("ts", i) || latin.startsWith("tz", i)) {
                sounds.append('c');
                i += 2;
            } else if (latin.startsWith("ph", i)) {
                sounds.append('f');
                i += 2;
            } else if (latin.startsWith("ck", i)) {
                sounds.append('k');
                i += 2;
            } else {
                char c = latin.charAt(i);
                switch (c) {
                    case 'x' -> sounds.append("ks");
                    case 'w' -> sounds.append('v');
                    case 'q' -> sounds.append('k');
                    case 'g' -> sounds.append('h');
                    case 'y', 'j' -> sounds.append('i');
                    default -> sounds.append(c);
                }
                i++;
            }
        }
        String collapsed = collapseDoubles(sounds);
        StringBuilder vowels = new StringBuilder(collapsed.length());
        for (int k = 0; k < collapsed.length(); k++) {
            char c = collapsed.charAt(k);
            char next = k + 1 < collapsed.length() ? collapsed.charAt(k + 1) : 0;
            // ie/iu/ia/io are the iotated vowels є ю я ьо written as two letters; keep only the vowel
            if (c == 'i' && (next == 'e' || next == 'u' || next == 'a' || next == 'o')) {
                continue;
            }
            vowels.append(c);
        }
        return collapseDoubles(vowels);
    }

    /** A consonant skeleton of a canonical spelling, for blocking: vowels and hyphens dropped, repeats collapsed. */
    static String phoneticKey(String canonical) {
        StringBuilder key = new StringBuilder(canonical.length());
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            if ("aeiou-".indexOf(c) < 0 && (key.length() == 0 || key.charAt(key.length() - 1) != c)) {
                key.append(c);
            }
        }
        return key.length() == 0 ? canonical : key.toString();
    }

    /**
     * The masculine form of a canonical surname (each hyphenated part), so that Іванова and Іванов, or
     * Ковальська and Ковальський, reduce to the same base. Names without a gendered ending are unchanged.
     */
    static String masculineBase(String canonical) {
        if (canonical.indexOf('-') >= 0) {
            String[] parts = canonical.split("-");
            StringBuilder joined = new StringBuilder(canonical.length());
            for (String part : parts) {
                if (joined.length() > 0) {
                    joined.append('-');
                }
                joined.append(masculinePart(part));
            }
            return joined.toString();
        }
        return masculinePart(canonical);
    }

    private static String masculinePart(String part) {
        int n = part.length();
        if (n > 4 && (part.endsWith("ova") || part.endsWith("eva") || part.endsWith("ina"))) {
            return part.substring(0, n - 1);
        }
        if (n > 4 && (part.endsWith("ska") || part.endsWith("cka") || part.endsWith("zka"))) {
            return part.substring(0, n - 1) + "i";
        }
        return part;
    }

    private static String collapseDoubles(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (out.length() == 0 || out.charAt(out.length() - 1) != c) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
