package org.homecoming.reunification.matching;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Surnames that are one surname in two languages: an occupational Ukrainian surname and the Russian word a clerk
 * translates it into (Коваль and Кузнец, Кравець and Портной, Мірошник and Мельник). Read from
 * {@code matching/surname-equivalents.csv} on the classpath and optionally from an extra file that ops maintain.
 * Immutable once loaded.
 *
 * <p>Each line is one class; forms are comma-separated, in any script, and compared by the canonical spelling of
 * their masculine base, so Кузнецова meets Кузнецов and both meet Коваль.
 */
final class SurnameEquivalents {

    static final String RESOURCE = "/matching/surname-equivalents.csv";
    private static final int[] NONE = new int[0];

    private final Map<String, int[]> classesByMasculine = new HashMap<>();
    private int classes;

    private SurnameEquivalents() {
    }

    /** The classes shipped with the service. */
    static SurnameEquivalents standard() {
        SurnameEquivalents surnames = new SurnameEquivalents();
        VocabularyFile.readResource(RESOURCE, surnames::read);
        return surnames;
    }

    /** The shipped classes plus the ones in {@code extraFile} (same format). */
    static SurnameEquivalents withExtraFile(Path extraFile) {
        SurnameEquivalents surnames = standard();
        VocabularyFile.readFile(extraFile, "surname equivalences", surnames::read);
        return surnames;
    }

    int classCount() {
        return classes;
    }

    /** The classes of a surname by the canonical spelling of its masculine base; empty when it is in none. */
    int[] classesOf(String masculineCanonical) {
        return classesByMasculine.getOrDefault(masculineCanonical, NONE);
    }

    private void read(Reader source, String origin) throws IOException {
        BufferedReader lines = new BufferedReader(source);
        String line;
        int lineNumber = 0;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int classId = classes;
            int forms = 0;
            for (String form : trimmed.split(",")) {
                boolean usable = false;
                for (String latin : Transliteration.latinForms(form.strip())) {
                    String masculine = Spelling.masculineBase(Spelling.canonical(latin));
                    if (!masculine.isEmpty()) {
                        classesByMasculine.merge(masculine, new int[] {classId}, SurnameEquivalents::union);
                        usable = true;
                    }
                }
                forms += usable ? 1 : 0;
            }
            if (forms < 2) {
                throw new IllegalArgumentException(origin + " line " + lineNumber + " needs two surname forms or more");
            }
            classes++;
        }
    }

    private static int[] union(int[] existing, int[] added) {
        int[] merged = existing;
        for (int id : added) {
            if (Arrays.stream(merged).noneMatch(x -> x == id)) {
                merged = Arrays.copyOf(merged, merged.length + 1);
                merged[merged.length - 1] = id;
            }
        }
        return merged;
    }
}
