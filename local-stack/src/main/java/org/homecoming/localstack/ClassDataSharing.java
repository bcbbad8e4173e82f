package org.homecoming.localstack;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Class data sharing for the services' JVMs: the classes a service loads while it starts are kept, parsed and verified,
 * in an archive that later starts map instead of reading and checking every class again. On two cores the four
 * services start at once and each spends most of its start loading classes (the stack's restart took 75 s to be ready,
 * 43-54 s of it the services'; measured in the README's figures and docs/running-locally.md).
 *
 * <p>The JVM can archive only classes it loaded from plain jars on the class path, not from Spring Boot's nested jar,
 * so a service runs from its executable jar extracted once ({@code -Djarmode=tools extract}) into
 * {@code target/local-stack-cds/<module>-<size>-<modified>}: a rebuilt jar gets a new folder, never a stale archive.
 * The first start without an archive records one ({@code -XX:ArchiveClassesAtExit}), which the JVM writes when the
 * service stops; it is kept only when the service stopped by itself within its grace period (a service killed while it
 * writes leaves a partial file, which is dropped). A second instance of a service never records, so no two JVMs write one
 * file. An archive that does not fit the JVM (another JDK, changed options) is ignored by the JVM, which then starts as
 * without one ({@code -Xshare:auto}, the default).
 */
final class ClassDataSharing {

    private static final String ARCHIVE = "app.jsa";
    private static final String RECORDING = "recording.jsa";
    /** Writing an archive took under a second here; this leaves room on a loaded machine. */
    private static final Duration RECORDING_TIME = Duration.ofSeconds(45);

    private final Path folder;
    private final Path jar;
    private final boolean archived;
    private final boolean recording;

    private ClassDataSharing(Path folder, Path jar, boolean archived, boolean recording) {
        this.folder = folder;
        this.jar = jar;
        this.archived = archived;
        this.recording = recording;
    }

    /**
     * The extracted form of {@code executableJar}, made now if it is not there yet. Only instance 1 of a service
     * ({@code mayRecord}) records an archive when there is none.
     */
    static synchronized ClassDataSharing forJar(Path executableJar, Path cacheRoot, boolean mayRecord) throws IOException {
        String module = executableJar.getFileName().toString().replace("-0.1.0-SNAPSHOT-exec.jar", "");
        String fingerprint = module + "-" + Files.size(executableJar) + "-" + Files.getLastModifiedTime(executableJar).toMillis();
        Path folder = cacheRoot.resolve(fingerprint);
        Path extracted = folder.resolve(executableJar.getFileName());
        if (!Files.isRegularFile(extracted)) {
            dropEarlierBuilds(cacheRoot, module, folder);
            extract(executableJar, folder);
        }
        boolean archived = Files.isRegularFile(folder.resolve(ARCHIVE));
        return new ClassDataSharing(folder, extracted, archived, mayRecord && !archived);
    }

    /** The JVM options and the jar to run: {@code -XX:SharedArchiveFile=...} or {@code -XX:ArchiveClassesAtExit=...}. */
    List<String> jvmArguments() {
        // the archive's own notes (classes it leaves out, thousands of them) would fill the service's log at every stop
        List<String> args = new ArrayList<>(List.of("-Xlog:cds*=error"));
        if (recording) {
            args.add("-XX:ArchiveClassesAtExit=" + folder.resolve(RECORDING).toAbsolutePath());
        } else if (archived) {
            args.add("-XX:SharedArchiveFile=" + folder.resolve(ARCHIVE).toAbsolutePath());
        }
        args.add("-jar");
        args.add(jar.toAbsolutePath().toString());
        return args;
    }

    /**
     * How long the service may take to stop before it is killed: a recording JVM writes its archive after its shutdown
     * hooks, within the usual grace for most services, but reunification's hooks took up to 14 s on a busy machine and
     * its archive was cut off at 15 s.
     */
    Duration stopGrace(Duration usual) {
        return recording ? usual.plus(RECORDING_TIME) : usual;
    }

    /** After the service stopped: a recording written by a JVM that ended within its grace period becomes the archive. */
    void serviceStopped(boolean stoppedInTime) {
        Path recorded = folder.resolve(RECORDING);
        try {
            if (recording && stoppedInTime && Files.isRegularFile(recorded) && Files.size(recorded) > 0) {
                move(recorded, folder.resolve(ARCHIVE));
            } else {
                Files.deleteIfExists(recorded);
            }
        } catch (IOException e) {
            // the next start records again
        }
    }

    private static void extract(Path executableJar, Path folder) throws IOException {
        Path partial = folder.resolveSibling(folder.getFileName() + ".partial");
        DataFolder.delete(partial);
        Files.createDirectories(partial.getParent());
        Process tools = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djarmode=tools", "-jar", executableJar.toAbsolutePath().toString(),
                "extract", "--destination", partial.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!tools.waitFor(2, TimeUnit.MINUTES) || tools.exitValue() != 0) {
                tools.destroyForcibly();
                throw new IllegalStateException("Could not extract " + executableJar + " for class data sharing");
            }
        } catch (InterruptedException e) {
            tools.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while extracting " + executableJar, e);
        }
        DataFolder.delete(folder);
        move(partial, folder);
    }

    /** The folders of this module's earlier builds: their jars are gone, their archives useless. */
    private static void dropEarlierBuilds(Path cacheRoot, String module, Path current) throws IOException {
        if (!Files.isDirectory(cacheRoot)) {
            return;
        }
        try (Stream<Path> folders = Files.list(cacheRoot)) {
            for (Path earlier : folders.filter(path -> !path.equals(current))
                    .filter(path -> path.getFileName().toString().matches("\\Q" + module + "\\E-[0-9]+-[0-9]+(\\.partial)?"))
                    .toList()) {
                DataFolder.delete(earlier);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
