package io.github.onboardingguard.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A minimal SMTP server on the host that Keycloak in the container reaches as
 * {@code host.docker.internal}. Accepts every message and keeps it for assertions.
 */
public final class TestSmtpServer implements AutoCloseable {

    public record Mail(String from, List<String> to, String data) {
        public String text() {
            // Undo quoted-printable soft line breaks and the '=' escapes Keycloak's mails use.
            return data.replace("=\r\n", "").replace("=3D", "=").replace("=20", " ");
        }
    }

    private final ServerSocket socket;
    private final List<Mail> received = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public TestSmtpServer() {
        try {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress("0.0.0.0", 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::acceptLoop, "test-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Realm SMTP settings that point Keycloak at this server. */
    public Map<String, String> realmSmtpConfig() {
        return Map.of(
                "host",
                "host.docker.internal",
                "port",
                Integer.toString(port()),
                "from",
                "onboarding@example.com",
                "fromDisplayName",
                "Onboarding Guard");
    }

    /** Every mail received so far. */
    public List<Mail> received() {
        return List.copyOf(received);
    }

    public Mail awaitMail(Predicate<Mail> matching, Duration timeout) throws InterruptedException {
        Instant giveUp = Instant.now().plus(timeout);
        while (Instant.now().isBefore(giveUp)) {
            for (Mail mail : received) {
                if (matching.test(mail)) {
                    return mail;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("No matching mail within " + timeout + "; received: " + received);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                client.setSoTimeout(10_000);
                converse(client);
            } catch (IOException e) {
                // Closed while waiting, or a client that went away mid-conversation.
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8);
        reply(out, "220 test-smtp ready");
        String from = null;
        List<String> to = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
            switch (command) {
                case "EHLO", "HELO" -> reply(out, "250 test-smtp");
                case "MAIL" -> {
                    from = line.substring(line.indexOf(':') + 1).trim();
                    reply(out, "250 OK");
                }
                case "RCPT" -> {
                    to.add(line.substring(line.indexOf(':') + 1).trim());
                    reply(out, "250 OK");
                }
                case "DATA" -> {
                    reply(out, "354 end with <CRLF>.<CRLF>");
                    StringBuilder data = new StringBuilder();
                    String dataLine;
                    while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                        data.append(dataLine.startsWith("..") ? dataLine.substring(1) : dataLine)
                                .append("\r\n");
                    }
                    received.add(new Mail(from, List.copyOf(to), data.toString()));
                    to.clear();
                    reply(out, "250 OK");
                }
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "250 OK");
            }
        }
    }

    private static void reply(Writer out, String line) throws IOException {
        out.write(line + "\r\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
