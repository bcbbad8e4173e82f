package org.homecoming.reunification.matching;

/**
 * Jaro–Winkler similarity (Winkler 1990): Jaro's matching-characters-within-a-window measure, raised for a
 * common prefix of up to four characters with the usual scaling factor 0.1 when Jaro is above 0.7.
 */
final class JaroWinkler {

    private static final double PREFIX_SCALE = 0.1;
    private static final double BOOST_THRESHOLD = 0.7;

    private JaroWinkler() {
    }

    /** Similarity in [0, 1]; 1 for equal strings, 0 when either is empty and the other is not. */
    static double similarity(String a, String b) {
        if (a.equals(b)) {
            return 1.0;
        }
        int la = a.length();
        int lb = b.length();
        if (la == 0 || lb == 0) {
            return 0.0;
        }
        int window = Math.max(0, Math.max(la, lb) / 2 - 1);
        if (la > 64 || lb > 64) {
            return longStrings(a, b, window);
        }
        // names fit in 64 characters, so the matched flags live in two longs: no allocation per call,
        // which matters when one arrival is compared with thousands of candidates
        long matchedA = 0;
        long matchedB = 0;
        int matches = 0;
        for (int i = 0; i < la; i++) {
            int from = Math.max(0, i - window);
            int to = Math.min(lb - 1, i + window);
            char c = a.charAt(i);
            for (int j = from; j <= to; j++) {
                if ((matchedB & (1L << j)) == 0 && b.charAt(j) == c) {
                    matchedA |= 1L << i;
                    matchedB |= 1L << j;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0.0;
        }
        int outOfOrder = 0;
        int j = 0;
        for (int i = 0; i < la; i++) {
            if ((matchedA & (1L << i)) != 0) {
                while ((matchedB & (1L << j)) == 0) {
                    j++;
                }
                if (a.charAt(i) != b.charAt(j)) {
                    outOfOrder++;
                }
                j++;
            }
        }
        return winkler(a, b, matches, outOfOrder);
    }

    private static double longStrings(String a, String b, int window) {
        int la = a.length();
        int lb = b.length();
        boolean[] matchedA = new boolean[la];
        boolean[] matchedB = new boolean[lb];
        int matches = 0;
        for (int i = 0; i < la; i++) {
            int from = Math.max(0, i - window);
            int to = Math.min(lb - 1, i + window);
            char c = a.charAt(i);
            for (int j = from; j <= to; j++) {
                if (!matchedB[j] && b.charAt(j) == c) {
                    matchedA[i] = true;
                    matchedB[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0.0;
        }
        int outOfOrder = 0;
        int j = 0;
        for (int i = 0; i < la; i++) {
            if (matchedA[i]) {
                while (!matchedB[j]) {
                    j++;
                }
                if (a.charAt(i) != b.charAt(j)) {
                    outOfOrder++;
                }
                j++;
            }
        }
        return winkler(a, b, matches, outOfOrder);
    }

    private static double winkler(String a, String b, int matches, int outOfOrder) {
        int la = a.length();
        int lb = b.length();
        double m = matches;
        double jaro = (m / la + m / lb + (m - outOfOrder / 2.0) / m) / 3.0;
        if (jaro <= BOOST_THRESHOLD) {
            return jaro;
        }
        int prefix = 0;
        int maxPrefix = Math.min(4, Math.min(la, lb));
        while (prefix < maxPrefix && a.charAt(prefix) == b.charAt(prefix)) {
            prefix++;
        }
        return jaro + prefix * PREFIX_SCALE * (1.0 - jaro);
    }
}
