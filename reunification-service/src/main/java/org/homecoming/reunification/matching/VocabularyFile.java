package org.homecoming.reunification.matching;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the name vocabulary's data files (given-name classes, surname equivalents): the one shipped on the classpath
 * and the extra file ops may add in the field, both UTF-8. A missing shipped file is a broken build, so it fails loudly.
 */
final class VocabularyFile {

    /** Reads one source; {@code origin} names it in error messages (with the line number). */
    @FunctionalInterface
    interface Reading {
        void read(Reader source, String origin) throws IOException;
    }

    private VocabularyFile() {
    }

    static void readResource(String resource, Reading reading) {
        try (InputStream in = VocabularyFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + resource);
            }
            reading.read(new InputStreamReader(in, StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    static void readFile(Path file, String what, Reading reading) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            reading.read(reader, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " from " + file, e);
        }
    }
}
