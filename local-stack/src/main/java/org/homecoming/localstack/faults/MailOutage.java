package org.homecoming.localstack.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mail server as the services reach it in the fault-injection run: a relay on the mail port in front of the mail
 * sink, which the run can make refuse every new connection for a while, as a mail server that is down or being
 * restarted does. The sink itself keeps running (and keeps every message it received: stopping GreenMail would empty
 * it). Conversations under way when the outage begins are left to finish, so the outage tests the services' handling
 * of a server they cannot reach, not of a message cut in half (the kill of reunification mid-delivery tests that).
 */
public final class MailOutage implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final int port;
    private final int sinkPort;
    private ServerSocket listening;

    /** Starts relaying {@code port} to the sink on {@code sinkPort}. */
    public MailOutage(int port, int sinkPort) {
        this.port = port;
        this.sinkPort = sinkPort;
        end();
    }

    /** The mail server goes away: nothing listens on the mail port, so a connection is refused. */
    public synchronized void begin() {
        closeListening();
    }

    /** The mail server is back. */
    public synchronized void end() {
        if (listening != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port));
            listening = socket;
            daemon("mail-relay-accept", () -> accept(socket));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on the mail port " + port, e);
        }
    }

    @Override
    public synchronized void close() {
        closeListening();
    }

    private void closeListening() {
        if (listening == null) {
            return;
        }
        try {
            listening.close();
        } catch (IOException ignored) {
            // closing: nothing else to do
        }
        listening = null;
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException closed) {
                return;
            }
            try {
                Socket sink = new Socket(LOOPBACK, sinkPort);
                AtomicInteger directions = new AtomicInteger(2);
                daemon("mail-relay-in", () -> pump(client, sink, directions));
                daemon("mail-relay-out", () -> pump(sink, client, directions));
            } catch (IOException sinkAway) {
                quietlyClose(client);
            }
        }
    }

    /**
     * Copies one direction until its end, then ends the other side's writing, so the SMTP conversation closes as it
     * would; the last direction to end closes both sockets.
     */
    private static void pump(Socket from, Socket to, AtomicInteger directions) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            out.flush();
            to.shutdownOutput();
        } catch (IOException gone) {
            quietlyClose(to);
            quietlyClose(from);
        }
        if (directions.decrementAndGet() == 0) {
            quietlyClose(from);
            quietlyClose(to);
        }
    }

    private static void quietlyClose(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the other side is gone already
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
