package io.github.onboardingguard.testsupport;

import com.sun.net.httpserver.HttpServer;

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

    public record Delivery(String id, String timestamp, String signature, String body) {
    }

    private final HttpServer server;
    private final List<Delivery> accepted = new CopyOnWriteArrayList<>();
    private final List<String> refusedIds = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private volatile String refusedMarker;
    /** When set, every delivery gets its headers at once and then one body byte every half second for this long. */
    private final Duration trickle;
    /** How long each accepted delivery waits before its answer, as a busy receiver would. */
    private final Duration delay;

    public WebhookReceiver() {
        this(null, Duration.ZERO);
    }

    /** A receiver that answers 200 at once and then trickles its body, as a slow or hostile server would. */
    public static WebhookReceiver trickling(Duration howLong) {
        return new WebhookReceiver(howLong, Duration.ZERO);
    }

    /** A receiver that takes {@code delay} to answer each delivery. */
    public static WebhookReceiver slow(Duration delay) {
        return new WebhookReceiver(null, delay);
    }

    private WebhookReceiver(Duration trickle, Duration delay) {
        this.trickle = trickle;
        this.delay = delay;
        try {
            server = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hook", exchange -> {
            if (trickle != null) {
                exchange.getRequestBody().readAllBytes();
                refusedIds.add(exchange.getRequestHeaders().getFirst("webhook-id"));
                exchange.sendResponseHeaders(200, 0);
                try (var body = exchange.getResponseBody()) {
                    Instant end = Instant.now().plus(trickle);
                    while (Instant.now().isBefore(end)) {
                        body.write('.');
                        body.flush();
                        Thread.sleep(500);
                    }
                } catch (IOException | InterruptedException e) {
                    // The sender gave up: what this receiver is here to show.
                }
                exchange.close();
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = exchange.getRequestHeaders();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (down) {
                refusedIds.add(id);
                exchange.sendResponseHeaders(503, -1);
            } else if (refusedMarker != null && body.contains(refusedMarker)) {
                // As a SIEM answers a payload it will never take, e.g. one its parser rejects.
                refusedIds.add(id);
                exchange.sendResponseHeaders(400, -1);
            } else {
                pause(delay);
                accepted.add(new Delivery(id, exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"), body));
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
        return "http://host.docker.internal:" + server.getAddress().getPort() + "/hook";
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
        throw new AssertionError("Webhooks did not arrive in time; accepted: " + accepted() + ", refused: " + refusedIds);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
