package io.github.onboardingguard.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile webhook receiver: it answers each request with a status line and then sends its headers
 * one byte every half second, never finishing them, so every single read is quick while the exchange
 * as a whole never ends.
 */
public final class TricklingServer implements AutoCloseable {

    private final ServerSocket socket;
    private final AtomicInteger reached = new AtomicInteger();
    private final Duration howLong;

    public TricklingServer(Duration howLong) {
        this.howLong = howLong;
        try {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress("0.0.0.0", 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::serve, "trickling-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                reached.incrementAndGet();
                Thread connection = new Thread(() -> trickle(client), "trickling-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void trickle(Socket client) {
        try (client;
                OutputStream out = client.getOutputStream()) {
            out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Instant end = Instant.now().plus(howLong);
            while (Instant.now().isBefore(end)) {
                out.write('a');
                out.flush();
                Thread.sleep(500);
            }
        } catch (IOException | InterruptedException e) {
            // The sender gave up: what this server is here to show.
        }
    }

    /** How many connections the sender opened. */
    public int reached() {
        return reached.get();
    }

    /** The URL the container posts to. */
    public String url() {
        return "http://host.docker.internal:" + socket.getLocalPort() + "/hook";
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
