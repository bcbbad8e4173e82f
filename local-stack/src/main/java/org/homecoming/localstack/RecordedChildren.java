package org.homecoming.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The processes a launcher started, recorded in its data folder ({@value #FILE}) as each one starts, before it is ready:
 * its pid, what it is, and what its command line holds (its main class, its jar or its install folder). A launcher
 * killed with {@code kill -9} cannot stop its children, and they keep the stack's ports; the next start on the folder is
 * refused, and with this record it says exactly what to stop. A clean stop deletes the record.
 *
 * <p>A recorded pid counts only while it is alive and its command line still holds what was recorded: the system gives
 * the pids of ended processes to new ones, and the launcher must never tell anyone to kill a stranger. The system shows
 * only the first 4 KiB of a command line ({@code /proc/<pid>/cmdline} as {@link ProcessHandle.Info#commandLine} reads
 * it), so what is recorded must stand in that part (a Kafka node gets its long class path from the environment).
 */
final class RecordedChildren {

    static final String FILE = "children.pids";

    /** One recorded process: its pid, what it is ("Kafka node 2", "roster-service") and a part of its command line. */
    record Child(long pid, String what, String commandLineHolds) {

        @Override
        public String toString() {
            return what + " (pid " + pid + ")";
        }
    }

    private final Path file;

    private RecordedChildren(Path file) {
        this.file = file;
    }

    static RecordedChildren in(Path dataDir) {
        return new RecordedChildren(dataDir.resolve(FILE));
    }

    /**
     * Adds a child as soon as it runs. A record that cannot be written does not stop the stack: without it a refused
     * start names the taken ports only, as before.
     */
    synchronized void record(String what, long pid, String commandLineHolds) {
        String line = pid + "\t" + what + "\t" + commandLineHolds + "\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("Cannot record " + what + " (pid " + pid + ") in " + file + ": " + e.getMessage());
        }
    }

    /** Every process recorded, in the order they started; a line cut short (a launcher killed as it wrote) is skipped. */
    List<Child> recorded() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException noneOrUnreadable) {
            // the refusal then names the taken ports alone
            return List.of();
        }
        List<Child> children = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split("\t", 3);
            if (fields.length == 3 && fields[0].matches("[0-9]+") && !fields[2].isBlank()) {
                children.add(new Child(Long.parseLong(fields[0]), fields[1], fields[2]));
            }
        }
        return children;
    }

    /** The recorded processes that still run and are still the ones recorded, each pid once (the latest record of it). */
    List<Child> stillRunning() {
        Map<Long, Child> running = new LinkedHashMap<>();
        for (Child child : recorded()) {
            if (stillTheOneRecorded(child)) {
                running.put(child.pid(), child);
            }
        }
        return List.copyOf(running.values());
    }

    /**
     * For a refused start: which recorded processes still run and the command that stops them all (each stops cleanly
     * on SIGTERM), or nothing if none does.
     */
    String stillRunningNote() {
        List<Child> running = stillRunning();
        if (running.isEmpty()) {
            return "";
        }
        return String.format("%nStarted by a launcher on %s and still running: %s. Stop them with:%n  kill %s", file.getParent(),
                running.stream().map(Child::toString).collect(Collectors.joining(", ")),
                running.stream().map(child -> Long.toString(child.pid())).collect(Collectors.joining(" ")));
    }

    /** After a clean stop: every child has ended, nothing is left to name. */
    synchronized void forget() throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * The last step of a stop: ends every recorded child that still runs (SIGTERM to it and its own children, then
     * SIGKILL to what is left after {@code grace}), then forgets them. What the launcher stopped one by one is gone by
     * then; what remains is a child whose start was under way when Ctrl-C came (a supervisor's restart, or the start-up
     * itself, whose threads never got to hand their process over), which would otherwise outlive the launcher on the
     * stack's ports, no longer named anywhere.
     *
     * @return the children that had to be ended here
     */
    synchronized List<Child> endStillRunningAndForget(Duration grace) throws IOException {
        List<Child> running = stillRunning();
        List<ProcessHandle> ending = new ArrayList<>();
        for (Child child : running) {
            ProcessHandle.of(child.pid()).ifPresent(process -> {
                process.descendants().forEach(descendant -> {
                    descendant.destroy();
                    ending.add(descendant);
                });
                process.destroy();
                ending.add(process);
            });
        }
        Instant deadline = Instant.now().plus(grace);
        for (ProcessHandle process : ending) {
            try {
                process.onExit().get(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException stillAlive) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        forget();
        return running;
    }

    private static boolean stillTheOneRecorded(Child child) {
        return ProcessHandle.of(child.pid())
                .filter(ProcessHandle::isAlive)
                .flatMap(process -> process.info().commandLine())
                .filter(commandLine -> commandLine.contains(child.commandLineHolds()))
                .isPresent();
    }
}
