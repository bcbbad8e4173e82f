package org.homecoming.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes the test JVM's {@code java.io.tmpdir} before any test runs. Surefire runs a module's classes in two JVMs
 * side by side (the suite mostly waits on brokers, not on the cores), and each gets a scratch folder of its own,
 * {@code target/fork-N}: the brokers' logs, the registry's log, Kafka Streams state, the inquiry book's RocksDB and
 * Tomcat's work folders all live there under fixed names, and two JVMs must not share them. Surefire names the
 * folder in the JVM's arguments but does not create it, and nothing in the JDK does either.
 */
public final class ForkScratch implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Path scratch = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the test JVM's scratch folder " + scratch, e);
        }
    }
}
