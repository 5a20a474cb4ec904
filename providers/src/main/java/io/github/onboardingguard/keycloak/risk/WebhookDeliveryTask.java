package io.github.onboardingguard.keycloak.risk;

import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.risk.RiskSettings;
import io.github.onboardingguard.risk.StandardWebhooks;
import io.github.onboardingguard.risk.WebhookDestination;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.timer.ScheduledTask;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Set;

/**
 * Sends queued webhook alerts, per realm strictly in order: the first one that fails stops that
 * realm's delivery until its retry time (exponential backoff up to an hour). An alert the receiver
 * refuses for good (a 4xx other than 408 and 429), or that fails {@link #MAX_ATTEMPTS} times, is
 * dead-lettered and the queue moves on: one alert must not silence every later one. Runs on one cluster
 * node at a time, never inside a user's request. Before each request the host is resolved and
 * checked against {@link WebhookDestination}: a name that points inward is refused without a
 * connection. The recorded error says what kind of failure it was, never a low-level message
 * that would tell a realm admin which ports of the server's network answer.
 */
public final class WebhookDeliveryTask implements ScheduledTask {

    public static final String NAME = "onboarding-guard-webhooks";
    static final int BATCH = 50;
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    /** About a day of retries with the backoff above. */
    static final int MAX_ATTEMPTS = 36;
    private static final Logger LOG = Logger.getLogger(WebhookDeliveryTask.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final Set<String> allowedHosts;

    /** @param allowedHosts internal receivers the server's operator allows (lower case) */
    public WebhookDeliveryTask(Set<String> allowedHosts) {
        this.allowedHosts = Set.copyOf(allowedHosts);
    }

    @Override
    public void run(KeycloakSession session) {
        long now = System.currentTimeMillis();
        WebhookOutbox outbox = new WebhookOutbox(session);
        for (String realmId : outbox.realmsDue(now)) {
            RealmModel realm = session.realms().getRealm(realmId);
            if (realm == null) {
                continue;
            }
            RiskSettings settings = RealmPolicies.of(session, realm).risk();
            if (settings.webhookUrl().isEmpty()) {
                continue;
            }
            for (OutboxEntity alert : outbox.pending(realmId, BATCH)) {
                if (alert.getNextAttemptAt() > now || !deliver(alert, settings)) {
                    break;
                }
            }
        }
    }

    private boolean deliver(OutboxEntity alert, RiskSettings settings) {
        long now = System.currentTimeMillis();
        long timestamp = now / 1000;
        String error;
        try {
            URI uri = URI.create(settings.webhookUrl());
            Optional<String> refused = WebhookDestination.refusal(uri, InetAddress.getAllByName(WebhookDestination.host(uri)), allowedHosts);
            if (refused.isPresent()) {
                return failed(alert, now, "destination refused: " + refused.get());
            }
            CompletableFuture<HttpResponse<Void>> exchange = HTTP.sendAsync(HttpRequest.newBuilder(uri)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header(StandardWebhooks.ID_HEADER, alert.getId())
                    .header(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(StandardWebhooks.SIGNATURE_HEADER,
                            StandardWebhooks.sign(settings.webhookSecret(), alert.getId(), timestamp, alert.getPayload()))
                    .POST(HttpRequest.BodyPublishers.ofString(alert.getPayload()))
                    .build(), HttpResponse.BodyHandlers.discarding());
            HttpResponse<Void> response;
            try {
                // The request's own timeout ends when the headers arrive; a receiver that then trickles its
                // body must not hold the task (and every realm's alerts behind it) any longer than this.
                response = exchange.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                exchange.cancel(true);
                throw new HttpTimeoutException("whole exchange took longer than " + TIMEOUT);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            if (response.statusCode() / 100 == 2) {
                alert.setStatus(OutboxEntity.Status.DELIVERED);
                alert.setDeliveredAt(now);
                alert.setAttempts(alert.getAttempts() + 1);
                alert.setLastError(null);
                return true;
            }
            int status = response.statusCode();
            if (status / 100 == 4 && status != 408 && status != 429) {
                return dead(alert, now, "HTTP " + status + " (refused by the receiver)");
            }
            error = "HTTP " + status;
        } catch (UnknownHostException e) {
            error = "host not found";
        } catch (HttpTimeoutException e) {
            error = "timed out";
        } catch (IOException | IllegalArgumentException e) {
            error = "could not connect or send";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        return failed(alert, now, error);
    }

    /** @return whether the queue may move on: only when the alert was given up */
    private static boolean failed(OutboxEntity alert, long now, String error) {
        int attempts = alert.getAttempts() + 1;
        if (attempts >= MAX_ATTEMPTS) {
            return dead(alert, now, error + " (gave up after " + attempts + " attempts)");
        }
        long backoff = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(attempts, 20));
        alert.setAttempts(attempts);
        alert.setNextAttemptAt(now + backoff);
        alert.setLastError(error.length() > 255 ? error.substring(0, 255) : error);
        LOG.debugf("Webhook %s not delivered (attempt %d): %s; next try in %d ms", alert.getId(), attempts, error, backoff);
        return false;
    }

    private static boolean dead(OutboxEntity alert, long now, String error) {
        alert.setStatus(OutboxEntity.Status.DEAD);
        alert.setAttempts(alert.getAttempts() + 1);
        alert.setNextAttemptAt(now);
        alert.setLastError(error);
        LOG.warnf("Webhook %s dead-lettered: %s; retry it from the alerts API once the receiver takes it", alert.getId(), error);
        return true;
    }

    @Override
    public String getTaskName() {
        return NAME;
    }
}
