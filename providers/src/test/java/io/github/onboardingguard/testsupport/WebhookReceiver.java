package io.github.onboardingguard.testsupport;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * An HTTP receiver on the host for the extension's webhooks, reachable from the container as
 * {@code host.docker.internal}. It can play "down" (answering 503) to test redelivery.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** @param requestTarget the request line's target: an absolute URL when the request came through a proxy */
    public record Delivery(String id, String timestamp, String signature, String body, String requestTarget) {}

    /** A request as it came in, before any answer: which alert, from which address. */
    public record Arrival(String id, String from) {}

    private final HttpServer server;
    private final List<Delivery> accepted = new CopyOnWriteArrayList<>();
    private final List<String> refusedIds = new CopyOnWriteArrayList<>();
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private volatile String refusedMarker;
    /** How long each accepted delivery waits before its answer, as a busy receiver would. */
    private final Duration delay;

    private final boolean https;

    public WebhookReceiver() {
        this(Duration.ZERO, 0, null);
    }

    /** A receiver on a fixed port, e.g. the one the server's outgoing-HTTP proxy mapping names. */
    public static WebhookReceiver onPort(int port) {
        return new WebhookReceiver(Duration.ZERO, port, null);
    }

    /** A receiver that takes {@code delay} to answer each delivery. */
    public static WebhookReceiver slow(Duration delay) {
        return new WebhookReceiver(delay, 0, null);
    }

    /** Like {@link #slow}, over https with {@code certificate}, as a server in production mode requires. */
    public static WebhookReceiver slowHttps(Duration delay, TestCertificate certificate) {
        return new WebhookReceiver(delay, 0, certificate);
    }

    private WebhookReceiver(Duration delay, int port, TestCertificate certificate) {
        this.delay = delay;
        this.https = certificate != null;
        try {
            InetSocketAddress address = new InetSocketAddress("0.0.0.0", port);
            if (certificate == null) {
                server = HttpServer.create(address, 0);
            } else {
                HttpsServer secure = HttpsServer.create(address, 0);
                secure.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
                server = secure;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = exchange.getRequestHeaders();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            arrivals.add(
                    new Arrival(id, exchange.getRemoteAddress().getAddress().getHostAddress()));
            if (down) {
                refusedIds.add(id);
                exchange.sendResponseHeaders(503, -1);
            } else if (refusedMarker != null && body.contains(refusedMarker)) {
                // As a SIEM answers a payload it will never take, e.g. one its parser rejects.
                refusedIds.add(id);
                exchange.sendResponseHeaders(400, -1);
            } else {
                pause(delay);
                accepted.add(new Delivery(
                        id,
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"),
                        body,
                        exchange.getRequestURI().toString()));
                exchange.sendResponseHeaders(headers.isEmpty() ? 400 : 204, -1);
            }
            exchange.close();
        });
        server.start();
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The URL the container posts to. */
    public String url() {
        return (https ? "https" : "http") + "://host.docker.internal:"
                + server.getAddress().getPort() + "/hook";
    }

    public void setDown(boolean down) {
        this.down = down;
    }

    /** Answers 400 to every delivery whose body contains {@code marker}; {@code null} accepts all again. */
    public void refuseBodiesContaining(String marker) {
        this.refusedMarker = marker;
    }

    public List<Delivery> accepted() {
        return List.copyOf(accepted);
    }

    public List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    public List<String> refusedIds() {
        return List.copyOf(refusedIds);
    }

    public List<Delivery> await(Predicate<List<Delivery>> done, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (done.test(accepted())) {
                return accepted();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(
                "Webhooks did not arrive in time; accepted: " + accepted() + ", refused: " + refusedIds);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
