package org.homecoming.localstack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import com.icegreen.greenmail.util.GreenMail;

/** Plays the exchange scenario against the running services through their REST APIs. */
final class ExchangeScenario {

    private final Path root;
    private final List<ServiceProcess> services;
    private final GreenMail mail;
    private final PrintStream out;

    ExchangeScenario(Path root, List<ServiceProcess> services, GreenMail mail, PrintStream out) {
        this.root = root;
        this.services = services;
        this.mail = mail;
        this.out = out;
    }

    void play() {
        out.println("(the scenario player is being written)");
    }
}
