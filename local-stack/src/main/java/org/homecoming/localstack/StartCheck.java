package org.homecoming.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The launcher's refusal, before the build: run-local-stack builds for minutes before {@link LocalStack} takes the data
 * folder and checks the stack's ports, so a start that was going to be refused wasted the build. This runs those same
 * checks ({@link LocalStack#takeDataFolder}, with the same arguments) from the classes of the last build, prints the
 * same message and lets go of the folder at once.
 *
 * <p>It exits {@value #REFUSED} on a refusal and 0 when the launcher may start. The JVM exits 1 when it cannot run this
 * at all (the classes of an older build), and then the build goes on: the launcher checks again after it.
 *
 * <p>Known limit: the folder is free again between this check and the launcher's own claim after the build, so another
 * launcher may take it, or something its ports, in between. The launcher's check still refuses that start; only the
 * build is wasted, as before.
 */
public final class StartCheck {

    /** EX_TEMPFAIL: not 1, which the JVM itself exits with when it cannot start this class. */
    static final int REFUSED = 75;

    private StartCheck() {
    }

    public static void main(String[] args) {
        System.exit(check(LocalStack.dataDir(LocalStack.checkoutRoot(), args), args, System.err));
    }

    /** The check for the launch of {@code args}; an unknown service or a number that is none is refused too. */
    static int check(Path dataDir, String[] args, PrintStream err) {
        StackPorts ports;
        try {
            ports = LocalStack.ports(args);
        } catch (IllegalArgumentException wrongOption) {
            err.println(LocalStack.refusal(dataDir, wrongOption));
            return REFUSED;
        }
        return check(dataDir, ports, err);
    }

    /** 0 if the launcher may take {@code dataDir} and listen on {@code ports}; else {@value #REFUSED}, saying why. */
    static int check(Path dataDir, StackPorts ports, PrintStream err) {
        try (DataFolder free = LocalStack.takeDataFolder(dataDir, ports, false)) {
            return 0;
        } catch (IllegalStateException | IllegalArgumentException refused) {
            err.println(LocalStack.refusal(dataDir, refused));
            return REFUSED;
        } catch (IOException e) {
            err.println("Could not check " + dataDir + " before the build (" + e.getMessage() + "); the launcher checks it after.");
            return 1;
        }
    }
}
