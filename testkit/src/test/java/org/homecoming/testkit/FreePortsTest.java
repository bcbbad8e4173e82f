package org.homecoming.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreePortsTest {

    /** Ten ports another JVM of the build has claimed, and the one after them. */
    static final int FIRST = 21_700;
    static final int LAST_CLAIMED = 21_709;

    @TempDir
    Path claims;

    @Test
    void shouldNotGiveAPortThatAnotherTestJvmOfTheBuildHasClaimed() throws Exception {
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-D" + FreePorts.CLAIMS_PROPERTY + "=" + claims,
                ClaimingJvm.class.getName(), String.valueOf(FIRST), String.valueOf(LAST_CLAIMED))
                .redirectErrorStream(true).start();
        String previous = System.getProperty(FreePorts.CLAIMS_PROPERTY);
        try (BufferedReader said = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(said.readLine()).as("the other JVM claimed its ports").isEqualTo("claimed " + (LAST_CLAIMED - FIRST + 1));
            System.setProperty(FreePorts.CLAIMS_PROPERTY, claims.toString());

            assertThatThrownBy(() -> FreePorts.next(FIRST, LAST_CLAIMED)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("No free port");
            assertThat(FreePorts.next(FIRST, LAST_CLAIMED + 1)).isEqualTo(LAST_CLAIMED + 1);
        } finally {
            restore(previous);
            other.destroy();
            other.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty(FreePorts.CLAIMS_PROPERTY);
        } else {
            System.setProperty(FreePorts.CLAIMS_PROPERTY, previous);
        }
    }

    /** Another test JVM of the build: claims every port of a range, says so, and holds them until its input closes. */
    public static final class ClaimingJvm {
        public static void main(String[] arguments) throws Exception {
            int first = Integer.parseInt(arguments[0]);
            int last = Integer.parseInt(arguments[1]);
            for (int i = first; i <= last; i++) {
                FreePorts.next(i, i);
            }
            System.out.println("claimed " + (last - first + 1));
            System.out.flush();
            // holds the claims while the test runs: the test stops it, and a test JVM that dies closes its input
            System.in.read();
        }
    }
}
