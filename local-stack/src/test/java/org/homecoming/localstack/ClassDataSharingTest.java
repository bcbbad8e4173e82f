package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack's services run from their extracted jars with a class archive recorded at their first stop. Uses the
 * ops console's executable jar, which the reactor packages before this module's tests run.
 */
class ClassDataSharingTest {

    private static final Path CONSOLE_JAR = Path.of("..", "ops-console", "target", "ops-console-0.1.0-SNAPSHOT-exec.jar");

    @TempDir
    static Path scratch;
    static Path jar;

    @BeforeAll
    static void copyTheConsoleJar() throws Exception {
        assertThat(CONSOLE_JAR).as("the ops console's executable jar (./mvnw package builds it)").isRegularFile();
        jar = Files.copy(CONSOLE_JAR, Files.createDirectories(scratch.resolve("build")).resolve(CONSOLE_JAR.getFileName()));
    }

    @Test
    void shouldRunAServiceFromItsExtractedJarAndRecordAnArchiveAtItsFirstStart() throws Exception {
        Path cache = scratch.resolve("cds-first");

        List<String> args = ClassDataSharing.forJar(jar, cache, true).jvmArguments();

        Path extracted = Path.of(args.get(args.indexOf("-jar") + 1));
        assertThat(extracted).isRegularFile().startsWith(cache.toAbsolutePath());
        assertThat(extracted.resolveSibling("lib")).isDirectoryContaining(path -> path.getFileName().toString().startsWith("spring-boot"));
        assertThat(args).anyMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit=")).noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile="));
    }

    @Test
    void shouldUseTheArchiveOfAServiceThatStoppedInTime() throws Exception {
        Path cache = scratch.resolve("cds-kept");

        Path recording = recordAndStop(cache, true);

        List<String> next = ClassDataSharing.forJar(jar, cache, true).jvmArguments();
        assertThat(next).contains("-XX:SharedArchiveFile=" + recording.resolveSibling("app.jsa"))
                .noneMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit="));
        assertThat(recording).doesNotExist();
    }

    @Test
    void shouldDropTheRecordingOfAServiceKilledWhileItWroteIt() throws Exception {
        Path cache = scratch.resolve("cds-killed");

        Path recording = recordAndStop(cache, false);

        assertThat(recording).doesNotExist();
        assertThat(recording.resolveSibling("app.jsa")).doesNotExist();
        assertThat(ClassDataSharing.forJar(jar, cache, true).jvmArguments()).anyMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit="));
    }

    @Test
    void shouldNeverLetASecondInstanceWriteTheArchive() throws Exception {
        List<String> args = ClassDataSharing.forJar(jar, scratch.resolve("cds-second"), false).jvmArguments();

        assertThat(args).noneMatch(arg -> arg.startsWith("-XX:"));
    }

    @Test
    void shouldGiveARecordingServiceTimeToWriteItsArchiveWhenItStops() throws Exception {
        Duration usual = Duration.ofSeconds(15);

        assertThat(ClassDataSharing.forJar(jar, scratch.resolve("cds-grace"), true).stopGrace(usual)).isGreaterThan(usual);
        assertThat(ClassDataSharing.forJar(jar, scratch.resolve("cds-grace"), false).stopGrace(usual)).isEqualTo(usual);
    }

    @Test
    void shouldExtractARebuiltJarAfreshAndDropTheEarlierBuildsArchive() throws Exception {
        Path cache = scratch.resolve("cds-rebuilt");
        Path rebuilt = Files.copy(jar, Files.createDirectories(scratch.resolve("rebuilt")).resolve(jar.getFileName()));
        ClassDataSharing earlier = ClassDataSharing.forJar(rebuilt, cache, true);
        Files.write(recordingOf(earlier), new byte[] {1});
        earlier.serviceStopped(true);

        Files.setLastModifiedTime(rebuilt, FileTime.from(Instant.now().plusSeconds(60)));
        List<String> args = ClassDataSharing.forJar(rebuilt, cache, true).jvmArguments();

        assertThat(args).anyMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit="));
        try (Stream<Path> folders = Files.list(cache)) {
            assertThat(folders.toList()).singleElement()
                    .satisfies(folder -> assertThat(Path.of(args.get(args.indexOf("-jar") + 1))).startsWith(folder.toAbsolutePath()));
        }
    }

    /** A first start that records, the JVM's writing of the recording, and the service's stop; returns the recording's path. */
    private static Path recordAndStop(Path cache, boolean stoppedInTime) throws Exception {
        ClassDataSharing first = ClassDataSharing.forJar(jar, cache, true);
        Path recording = recordingOf(first);
        Files.write(recording, new byte[] {1, 2, 3});
        first.serviceStopped(stoppedInTime);
        return recording;
    }

    private static Path recordingOf(ClassDataSharing sharing) {
        return sharing.jvmArguments().stream().filter(arg -> arg.startsWith("-XX:ArchiveClassesAtExit="))
                .map(arg -> Path.of(arg.substring("-XX:ArchiveClassesAtExit=".length()))).findFirst().orElseThrow();
    }
}
