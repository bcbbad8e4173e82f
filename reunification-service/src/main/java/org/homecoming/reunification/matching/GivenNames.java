package org.homecoming.reunification.matching;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Given names that are one name in different languages and spellings (Олександр, Александр, Oleksandr,
 * Aleksandr, Alexander, Sasha), read from {@code matching/given-names.csv} on the classpath and optionally
 * from an extra file that ops maintain. Immutable once loaded, so shared freely between threads.
 *
 * <p>Each line is one equivalence class; forms are comma-separated and may be in any script. A form may
 * sit in more than one class (a diminutive shared by a male and a female name).
 */
final class GivenNames {

    static final String RESOURCE = "/matching/given-names.csv";
    private static final int[] NONE = new int[0];

    private final Map<String, int[]> classesByCanonical = new HashMap<>();
    private final Map<String, int[]> classesByKey = new HashMap<>();
    private final List<String> labels = new ArrayList<>();
    /** Per class: {@link #MALE}, {@link #FEMALE} or {@link #UNKNOWN_SEX}, from the file's section headers. */
    private final List<Byte> sexes = new ArrayList<>();

    static final byte UNKNOWN_SEX = 0;
    static final byte MALE = 1;
    static final byte FEMALE = 2;

    private GivenNames() {
    }

    /** The classes shipped with the service. */
    static GivenNames standard() {
        GivenNames names = new GivenNames();
        VocabularyFile.readResource(RESOURCE, names::read);
        return names;
    }

    /** The shipped classes plus the ones in {@code extraFile} (same format), for names ops add in the field. */
    static GivenNames withExtraFile(Path extraFile) {
        GivenNames names = new GivenNames();
        VocabularyFile.readResource(RESOURCE, names::read);
        VocabularyFile.readFile(extraFile, "given-name equivalences", names::read);
        return names;
    }

    /** Number of equivalence classes loaded. */
    public int classCount() {
        return labels.size();
    }

    /** Whether two written given names, in any script or spelling, belong to one equivalence class. */
    public boolean areEquivalent(String a, String b) {
        for (String la : Transliteration.latinForms(a)) {
            int[] ca = classesOf(Spelling.canonical(la));
            for (String lb : Transliteration.latinForms(b)) {
                if (intersect(ca, classesOf(Spelling.canonical(lb)))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Classes of a canonical spelling; empty if it is not a listed form. */
    int[] classesOf(String canonical) {
        return classesByCanonical.getOrDefault(canonical, NONE);
    }

    /** Classes whose forms share this phonetic key; a looser lookup, used for blocking and patronymic stems. */
    int[] classesWithKey(String phoneticKey) {
        return classesByKey.getOrDefault(phoneticKey, NONE);
    }

    /**
     * The sex of a set of classes: MALE or FEMALE when every class is of that sex, else UNKNOWN_SEX (Саша is
     * both Oleksandr and Oleksandra).
     */
    byte sexOf(int[] classes) {
        byte sex = UNKNOWN_SEX;
        for (int classId : classes) {
            byte classSex = sexes.get(classId);
            if (classSex == UNKNOWN_SEX || (sex != UNKNOWN_SEX && sex != classSex)) {
                return UNKNOWN_SEX;
            }
            sex = classSex;
        }
        return sex;
    }

    /** Whether one of the classes may name a person of this sex (an unknown-sex class may name anyone). */
    boolean anyOfSex(int[] classes, byte sex) {
        for (int classId : classes) {
            byte classSex = sexes.get(classId);
            if (classSex == UNKNOWN_SEX || classSex == sex) {
                return true;
            }
        }
        return false;
    }

    String label(int classId) {
        return labels.get(classId);
    }

    static boolean intersect(int[] a, int[] b) {
        for (int x : a) {
            for (int y : b) {
                if (x == y) {
                    return true;
                }
            }
        }
        return false;
    }

    private void read(Reader source, String origin) throws IOException {
        BufferedReader lines = new BufferedReader(source);
        String line;
        int lineNumber = 0;
        byte section = UNKNOWN_SEX;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            String trimmed = line.strip();
            // "# --- male ---" and "# --- female ---" headers give the sex of the classes that follow
            if (trimmed.startsWith("# ---")) {
                section = trimmed.contains("female") ? FEMALE : trimmed.contains("male") ? MALE : UNKNOWN_SEX;
                continue;
            }
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int classId = labels.size();
            int forms = 0;
            for (String form : trimmed.split(",")) {
                if (form.isBlank()) {
                    continue;
                }
                for (String latin : Transliteration.latinForms(form)) {
                    String canonical = Spelling.canonical(latin);
                    if (canonical.isEmpty()) {
                        continue;
                    }
                    classesByCanonical.merge(canonical, new int[] {classId}, GivenNames::union);
                    classesByKey.merge(Spelling.phoneticKey(canonical), new int[] {classId}, GivenNames::union);
                    forms++;
                }
            }
            if (forms == 0) {
                throw new IllegalArgumentException(origin + " line " + lineNumber + " has no usable name form");
            }
            labels.add(trimmed.split(",")[0].strip());
            sexes.add(section);
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
