package io.github.onboardingguard.keycloak.webhooks;

import io.github.onboardingguard.keycloak.policy.WebhookServerRules;
import io.github.onboardingguard.keycloak.support.OnboardingMetrics;
import io.github.onboardingguard.webhooks.StandardWebhooks;
import io.github.onboardingguard.webhooks.WebhookDestination;
import io.github.onboardingguard.webhooks.WebhookSubscription;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.jboss.logging.Logger;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;

/**
 * Sends queued webhook events, each subscription's queue strictly in order: the first one that fails
 * stops that queue until its retry time (exponential backoff up to an hour). An alert the receiver
 * refuses for good (a 4xx other than 408 and 429), or that fails {@link #MAX_ATTEMPTS} times, is
 * dead-lettered and the queue moves on: one alert must not silence every later one.
 *
 * <p>Each queue is worked on a thread of its own, so a slow receiver holds up only its own queue.
 * An alert is claimed in a short transaction (a conditional update, so of two nodes only one gets
 * it), sent with no transaction open, and its outcome recorded in another short one. Requests go
 * through Keycloak's outgoing HTTP client, so the server's proxy mappings and truststore apply.
 * Before each request the host is resolved and checked against {@link WebhookDestination}: a name
 * that points inward is refused without a connection. The recorded error says what kind of failure
 * it was, never a low-level message that would tell a realm admin which ports of the server's
 * network answer.
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
    private static final RequestConfig REQUEST = RequestConfig.custom()
            .setConnectTimeout((int) TIMEOUT.toMillis())
            .setConnectionRequestTimeout((int) TIMEOUT.toMillis())
            .setSocketTimeout((int) TIMEOUT.toMillis())
            .setRedirectsEnabled(false)
            .build();

    /** Settled alerts age in days: pruning once an hour is plenty, not on every run of the task. */
    static final Duration PRUNE_EVERY = Duration.ofHours(1);

    /** Ends an exchange that is still going when {@link #TIMEOUT} is up, whatever part of it is slow. */
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "onboarding-guard-webhook-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final WebhookServerRules rules;
    private volatile long lastPruned;

    public WebhookDeliveryTask(WebhookServerRules rules) {
        this.rules = rules;
    }

    private record Work(
            WebhookOutbox.Queue queue, String realmName, WebhookSubscription subscription, List<String> alertIds) {}

    private record Claimed(String id, String payload) {}

    /** What one request came to: delivered, refused for good, or an error to retry. */
    private record Outcome(boolean delivered, boolean refusedForGood, String error) {
        static final Outcome DELIVERED = new Outcome(true, false, null);
    }

    @Override
    public void run(KeycloakSession session) {
        long started = System.nanoTime();
        try {
            deliverDue(session);
            // Every realm, an empty queue as 0: an alert on "pending > 0 for 10 minutes" needs the zero too.
            Map<String, long[]> backlog = new LinkedHashMap<>();
            session.realms().getRealmsStream().forEach(realm -> backlog.put(realm.getName(), new long[] {0, 0}));
            long now = System.currentTimeMillis();
            OnboardingMetrics.byRealmName(session, new WebhookOutbox(session).backlog())
                    .forEach((realm, pending) ->
                            backlog.put(realm, new long[] {pending[0], Math.max(0, (now - pending[1]) / 1000)}));
            OnboardingMetrics.webhookBacklog(backlog);
        } finally {
            OnboardingMetrics.taskRun(NAME, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void deliverDue(KeycloakSession session) {
        long now = System.currentTimeMillis();
        WebhookOutbox outbox = new WebhookOutbox(session);
        if (now - lastPruned >= PRUNE_EVERY.toMillis()) {
            outbox.prune(null, now);
            lastPruned = now;
        }
        List<Work> work = new ArrayList<>();
        for (WebhookOutbox.Queue queue : outbox.queuesDue(now)) {
            RealmModel realm = session.realms().getRealm(queue.realmId());
            if (realm == null) {
                continue;
            }
            Optional<WebhookSubscription> subscription =
                    WebhookSubscriptions.find(session, realm, queue.subscriptionId());
            if (subscription.isEmpty() && WebhookSubscriptions.inDatabase(session, realm, queue.subscriptionId())) {
                // Saved on another node a moment ago, and this node's realm cache has not caught up: not removed.
                continue;
            }
            if (subscription.isEmpty()) {
                int abandoned = outbox.abandon(queue, now);
                LOG.warnf(
                        "%d webhook alerts of realm %s dead-lettered: their receiver was removed",
                        abandoned, realm.getName());
                continue;
            }
            work.add(new Work(queue, realm.getName(), subscription.get(), outbox.pendingIds(queue, BATCH)));
        }
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        CloseableHttpClient http = session.getProvider(HttpClientProvider.class).getHttpClient();
        ExecutorService executor = session.getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR);
        List<Future<?>> running = new ArrayList<>();
        for (Work queue : work) {
            running.add(executor.submit(() -> drain(factory, http, queue)));
        }
        for (Future<?> queue : running) {
            try {
                queue.get();
            } catch (ExecutionException e) {
                LOG.warnf(e.getCause(), "Webhook delivery of a queue failed; the next run tries again");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sends a queue's alerts in order until one has to wait. */
    private void drain(KeycloakSessionFactory factory, CloseableHttpClient http, Work work) {
        String realmId = work.queue().realmId();
        for (String id : work.alertIds()) {
            long now = System.currentTimeMillis();
            Optional<Claimed> claimed = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
                WebhookOutbox outbox = new WebhookOutbox(session);
                return outbox.claim(id, now, now + CLAIM.toMillis())
                        ? outbox.find(realmId, id).map(alert -> new Claimed(alert.getId(), alert.getPayload()))
                        : Optional.<Claimed>empty();
            });
            if (claimed.isEmpty()) {
                // Not due yet, settled meanwhile, or another node is working this queue.
                return;
            }
            Outcome outcome = send(http, claimed.get(), work.subscription());
            boolean next = KeycloakModelUtils.runJobInTransactionWithResult(
                    factory, session -> record(new WebhookOutbox(session), realmId, id, outcome));
            OnboardingMetrics.webhookAttempt(
                    work.realmName(), outcome.delivered() ? "delivered" : next ? "dead" : "retry");
            if (!next) {
                return;
            }
        }
    }

    private Outcome send(CloseableHttpClient http, Claimed alert, WebhookSubscription subscription) {
        long timestamp = System.currentTimeMillis() / 1000;
        URI uri;
        try {
            uri = new URI(subscription.url());
        } catch (URISyntaxException e) {
            return new Outcome(false, false, "could not connect or send");
        }
        // A scheme the server's rules refuse (plain http to a host not allowed) is refused before any lookup.
        Optional<String> schemeRefused = rules.problem(subscription.url());
        if (schemeRefused.isPresent()) {
            return new Outcome(false, false, "destination refused: " + schemeRefused.get());
        }
        String host = WebhookDestination.host(uri);
        Set<String> allowed = rules.allowedHosts();
        try {
            // An allowed host may be one only the proxy or the internal DNS knows: it is not looked up here.
            InetAddress[] addresses = allowed.contains(host) ? new InetAddress[0] : InetAddress.getAllByName(host);
            Optional<String> refused = WebhookDestination.refusal(uri, addresses, allowed, rules.devMode());
            if (refused.isPresent()) {
                return new Outcome(false, false, "destination refused: " + refused.get());
            }
        } catch (UnknownHostException e) {
            return new Outcome(false, false, "host not found");
        }
        HttpPost post = new HttpPost(uri);
        post.setConfig(REQUEST);
        post.setHeader(StandardWebhooks.ID_HEADER, alert.id());
        post.setHeader(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestamp));
        post.setHeader(
                StandardWebhooks.SIGNATURE_HEADER,
                StandardWebhooks.sign(subscription.secrets(), alert.id(), timestamp, alert.payload()));
        post.setEntity(new StringEntity(alert.payload(), ContentType.APPLICATION_JSON));
        // The socket timeout bounds each read; a receiver that trickles its answer must not hold the queue
        // any longer than the whole-exchange limit.
        AtomicBoolean overdue = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(
                () -> {
                    overdue.set(true);
                    post.abort();
                },
                TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS);
        // The answer's body is never read: closing the response drops the connection with whatever is left.
        try (CloseableHttpResponse response = http.execute(post)) {
            int status = response.getStatusLine().getStatusCode();
            if (status / 100 == 2) {
                return Outcome.DELIVERED;
            }
            if (status / 100 == 4 && status != 408 && status != 429) {
                return new Outcome(false, true, "HTTP " + status + " (refused by the receiver)");
            }
            return new Outcome(false, false, "HTTP " + status);
        } catch (IOException | RuntimeException e) {
            return new Outcome(
                    false,
                    false,
                    overdue.get() || e instanceof SocketTimeoutException || e instanceof ConnectTimeoutException
                            ? "timed out"
                            : "could not connect or send");
        } finally {
            deadline.cancel(false);
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
            String error = outcome.refusedForGood()
                    ? outcome.error()
                    : outcome.error() + " (gave up after " + attempts + " attempts)";
            alert.setStatus(OutboxEntity.Status.DEAD);
            alert.setNextAttemptAt(now);
            alert.setLastError(error);
            LOG.warnf(
                    "Webhook %s dead-lettered: %s; retry it from the alerts API once the receiver takes it", id, error);
            return true;
        }
        long backoff = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(attempts, 20));
        alert.setNextAttemptAt(now + backoff);
        alert.setLastError(outcome.error().length() > 255 ? outcome.error().substring(0, 255) : outcome.error());
        LOG.debugf(
                "Webhook %s not delivered (attempt %d): %s; next try in %d ms", id, attempts, outcome.error(), backoff);
        return false;
    }

    @Override
    public String getTaskName() {
        return NAME;
    }
}
