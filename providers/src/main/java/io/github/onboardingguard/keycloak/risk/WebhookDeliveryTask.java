package io.github.onboardingguard.keycloak.risk;

import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.risk.RiskSettings;
import io.github.onboardingguard.risk.StandardWebhooks;
import io.github.onboardingguard.risk.WebhookDestination;
import org.jboss.logging.Logger;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends queued webhook alerts, per realm strictly in order: the first one that fails stops that
 * realm's delivery until its retry time (exponential backoff up to an hour). An alert the receiver
 * refuses for good (a 4xx other than 408 and 429), or that fails {@link #MAX_ATTEMPTS} times, is
 * dead-lettered and the queue moves on: one alert must not silence every later one.
 *
 * <p>Each realm's queue is worked on a thread of its own, so a slow receiver holds up only its
 * realm. An alert is claimed in a short transaction (a conditional update, so of two nodes only
 * one gets it), sent with no transaction open, and its outcome recorded in another short one.
 * Before each request the host is resolved and checked against {@link WebhookDestination}: a name
 * that points inward is refused without a connection. The recorded error says what kind of
 * failure it was, never a low-level message that would tell a realm admin which ports of the
 * server's network answer.
 */
public final class WebhookDeliveryTask implements ScheduledTask {

    public static final String NAME = "onboarding-guard-webhooks";
    static final int BATCH = 50;
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    /** About a day of retries with the backoff above. */
    static final int MAX_ATTEMPTS = 36;
    /** How long a claim holds: well past one whole exchange, so a node that dies frees its alert soon. */
    static final Duration CLAIM = Duration.ofSeconds(30);
    private static final String EXECUTOR = "onboarding-guard-webhooks";
    private static final Logger LOG = Logger.getLogger(WebhookDeliveryTask.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** Settled alerts age in days: pruning once an hour is plenty, not on every run of the task. */
    static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final Set<String> allowedHosts;
    private volatile long lastPruned;

    /** @param allowedHosts internal receivers the server's operator allows (lower case) */
    public WebhookDeliveryTask(Set<String> allowedHosts) {
        this.allowedHosts = Set.copyOf(allowedHosts);
    }

    private record Queue(String realmId, RiskSettings settings, List<String> alertIds) {
    }

    private record Claimed(String id, String payload) {
    }

    /** What one request came to: delivered, refused for good, or an error to retry. */
    private record Outcome(boolean delivered, boolean refusedForGood, String error) {
        static final Outcome DELIVERED = new Outcome(true, false, null);
    }

    @Override
    public void run(KeycloakSession session) {
        long now = System.currentTimeMillis();
        WebhookOutbox outbox = new WebhookOutbox(session);
        if (now - lastPruned >= PRUNE_EVERY.toMillis()) {
            outbox.prune(null, now);
            lastPruned = now;
        }
        List<Queue> queues = new ArrayList<>();
        for (String realmId : outbox.realmsDue(now)) {
            RealmModel realm = session.realms().getRealm(realmId);
            if (realm == null) {
                continue;
            }
            RiskSettings settings = RealmPolicies.of(session, realm).risk();
            if (!settings.webhookUrl().isEmpty()) {
                queues.add(new Queue(realmId, settings, outbox.pendingIds(realmId, BATCH)));
            }
        }
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        ExecutorService executor = session.getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR);
        List<Future<?>> running = new ArrayList<>();
        for (Queue queue : queues) {
            running.add(executor.submit(() -> drain(factory, queue)));
        }
        for (Future<?> queue : running) {
            try {
                queue.get();
            } catch (ExecutionException e) {
                LOG.warnf(e.getCause(), "Webhook delivery of a realm failed; the next run tries again");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sends a realm's alerts in order until one has to wait. */
    private void drain(KeycloakSessionFactory factory, Queue queue) {
        for (String id : queue.alertIds()) {
            long now = System.currentTimeMillis();
            Optional<Claimed> claimed = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
                WebhookOutbox outbox = new WebhookOutbox(session);
                return outbox.claim(id, now, now + CLAIM.toMillis())
                        ? outbox.find(queue.realmId(), id).map(alert -> new Claimed(alert.getId(), alert.getPayload()))
                        : Optional.<Claimed>empty();
            });
            if (claimed.isEmpty()) {
                // Not due yet, settled meanwhile, or another node is working this queue.
                return;
            }
            Outcome outcome = send(claimed.get(), queue.settings());
            boolean next = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                    session -> record(new WebhookOutbox(session), queue.realmId(), id, outcome));
            if (!next) {
                return;
            }
        }
    }

    private Outcome send(Claimed alert, RiskSettings settings) {
        long timestamp = System.currentTimeMillis() / 1000;
        try {
            URI uri = URI.create(settings.webhookUrl());
            Optional<String> refused = WebhookDestination.refusal(uri, InetAddress.getAllByName(WebhookDestination.host(uri)), allowedHosts);
            if (refused.isPresent()) {
                return new Outcome(false, false, "destination refused: " + refused.get());
            }
            CompletableFuture<HttpResponse<Void>> exchange = HTTP.sendAsync(HttpRequest.newBuilder(uri)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header(StandardWebhooks.ID_HEADER, alert.id())
                    .header(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(StandardWebhooks.SIGNATURE_HEADER,
                            StandardWebhooks.sign(settings.webhookSecret(), alert.id(), timestamp, alert.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(alert.payload()))
                    .build(), HttpResponse.BodyHandlers.discarding());
            HttpResponse<Void> response;
            try {
                // The request's own timeout ends when the headers arrive; a receiver that then trickles its
                // body must not hold the queue any longer than this.
                response = exchange.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                exchange.cancel(true);
                throw new HttpTimeoutException("whole exchange took longer than " + TIMEOUT);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                return Outcome.DELIVERED;
            }
            if (status / 100 == 4 && status != 408 && status != 429) {
                return new Outcome(false, true, "HTTP " + status + " (refused by the receiver)");
            }
            return new Outcome(false, false, "HTTP " + status);
        } catch (UnknownHostException e) {
            return new Outcome(false, false, "host not found");
        } catch (HttpTimeoutException e) {
            return new Outcome(false, false, "timed out");
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome(false, false, "could not connect or send");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, false, "interrupted");
        }
    }

    /** @return whether the queue may move on: delivered, or given up */
    private static boolean record(WebhookOutbox outbox, String realmId, String id, Outcome outcome) {
        OutboxEntity alert = outbox.find(realmId, id).orElse(null);
        if (alert == null) {
            return true;
        }
        alert.setClaimedUntil(null);
        if (alert.getStatus() != OutboxEntity.Status.PENDING) {
            // An admin skipped it while it was on its way.
            return true;
        }
        long now = System.currentTimeMillis();
        int attempts = alert.getAttempts() + 1;
        alert.setAttempts(attempts);
        if (outcome.delivered()) {
            alert.setStatus(OutboxEntity.Status.DELIVERED);
            alert.setDeliveredAt(now);
            alert.setLastError(null);
            return true;
        }
        if (outcome.refusedForGood() || attempts >= MAX_ATTEMPTS) {
            String error = outcome.refusedForGood() ? outcome.error() : outcome.error() + " (gave up after " + attempts + " attempts)";
            alert.setStatus(OutboxEntity.Status.DEAD);
            alert.setNextAttemptAt(now);
            alert.setLastError(error);
            LOG.warnf("Webhook %s dead-lettered: %s; retry it from the alerts API once the receiver takes it", id, error);
            return true;
        }
        long backoff = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(attempts, 20));
        alert.setNextAttemptAt(now + backoff);
        alert.setLastError(outcome.error().length() > 255 ? outcome.error().substring(0, 255) : outcome.error());
        LOG.debugf("Webhook %s not delivered (attempt %d): %s; next try in %d ms", id, attempts, outcome.error(), backoff);
        return false;
    }

    @Override
    public String getTaskName() {
        return NAME;
    }
}
