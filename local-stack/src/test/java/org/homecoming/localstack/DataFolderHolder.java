package org.homecoming.localstack;

import java.nio.file.Path;

/**
 * A second process that holds a data folder, as a running launcher does: it claims the folder given as its argument,
 * says so on its output and holds it until its input closes or it is killed. For {@link DataFolderTest}.
 */
final class DataFolderHolder {

    private DataFolderHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (DataFolder folder = DataFolder.claim(Path.of(args[0]))) {
            System.out.println("claimed " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() != -1) {
                // held until the test closes our input
            }
        }
    }

    /** Starts a holder of {@code dataDir} and returns once it holds the folder. */
    static Process hold(Path dataDir) throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DataFolderHolder.class.getName(), dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
        if (line == null || !line.startsWith("claimed ")) {
            holder.destroyForcibly();
            throw new IllegalStateException("The holder did not claim " + dataDir + ": " + line);
        }
        return holder;
    }
}
