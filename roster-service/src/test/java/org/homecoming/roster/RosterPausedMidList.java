package org.homecoming.roster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.homecoming.roster.lists.ListPublicationHook;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;

/**
 * The roster as its own JVM, for {@link RosterCrashIntegrationTest}: with {@code -Dpause-after=N} and
 * {@code -Dpaused-marker=FILE} its list publications stop inside their Kafka transaction after N records (flushed
 * to the broker), write the marker file and wait there, so the test can {@code kill -9} it at that moment.
 */
public final class RosterPausedMidList {

    private RosterPausedMidList() {
    }

    public static void main(String[] args) {
        new SpringApplicationBuilder(RosterApplication.class, Pause.class).properties(RosterApplication.CONFIG_NAME).run(args);
    }

    /** Registered as a source of this application only: not a @Configuration, so other tests' scans skip it. */
    static class Pause {

        @Bean
        ListPublicationHook pauseInsideTheTransaction() {
            int pauseAfter = Integer.getInteger("pause-after", -1);
            String marker = System.getProperty("paused-marker");
            return (transaction, sent) -> {
                if (sent == pauseAfter && marker != null) {
                    transaction.flush();
                    try {
                        Files.writeString(Path.of(marker), "paused after " + sent + " records");
                        new CountDownLatch(1).await(); // until the process is killed
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }
    }
}
