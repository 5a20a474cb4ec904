package io.github.onboardingguard.webhooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One receiver of a realm's webhooks: where they go, the secrets that sign them (the current one
 * first; a second one while a rotation is under way) and which event types it takes.
 *
 * @param id the subscription component's id
 */
public record WebhookSubscription(
        String id, String name, String url, List<String> secrets, WebhookEvents.Filter filter) {

    public static final String URL = "webhookUrl";
    public static final String SECRET = "webhookSecret";
    public static final String PREVIOUS_SECRET = "webhookPreviousSecret";
    public static final String EVENTS = "webhookEvents";
    /**
     * The onboarding policy's own receiver in earlier versions (risk alerts only, one secret): moved
     * into a subscription of its own at start and at a realm's import, and refused on a policy save.
     */
    public static final String FORMER_POLICY_URL = "riskWebhookUrl";

    public static final String FORMER_POLICY_SECRET = "riskWebhookSecret";
    /** The outbox's name for that receiver, on alerts queued before the move. */
    public static final String FORMER_POLICY_ID = "policy";

    public static final Set<String> SECRET_KEYS = Set.of(SECRET, PREVIOUS_SECRET);

    public WebhookSubscription {
        secrets = List.copyOf(secrets);
    }

    /** Reads a stored subscription, naming in {@code problems} whatever makes it unusable. */
    public static WebhookSubscription parse(
            String id, String name, Map<String, List<String>> config, List<String> problems) {
        return parse(id, name, config, problems, Set.of());
    }

    /** As above; {@code localReceivers}: hosts that may be on this machine (see {@link WebhookDestination}). */
    public static WebhookSubscription parse(
            String id,
            String name,
            Map<String, List<String>> config,
            List<String> problems,
            Set<String> localReceivers) {
        String url = first(config, URL);
        if (url.isEmpty()) {
            problems.add(URL + " is required");
        } else {
            WebhookDestination.problem(url, localReceivers).ifPresent(problem -> problems.add(URL + " " + problem));
        }
        List<String> secrets = new ArrayList<>();
        String secret = first(config, SECRET);
        if (!StandardWebhooks.validSecret(secret)) {
            problems.add(SECRET + " must be 'whsec_' followed by base64 of 24 to 64 random bytes");
        } else {
            secrets.add(secret);
        }
        String previous = first(config, PREVIOUS_SECRET);
        if (!previous.isEmpty()) {
            if (!StandardWebhooks.validSecret(previous)) {
                problems.add(PREVIOUS_SECRET + " must be empty or a secret of the same form");
            } else if (previous.equals(secret)) {
                problems.add(
                        PREVIOUS_SECRET + " must differ from " + SECRET + "; clear it once receivers use the new one");
            } else {
                secrets.add(previous);
            }
        }
        List<String> filterProblems = new ArrayList<>();
        WebhookEvents.Filter filter = WebhookEvents.filter(config.get(EVENTS), filterProblems);
        filterProblems.forEach(problem -> problems.add(EVENTS + ": " + problem));
        return new WebhookSubscription(id, name, url, secrets, filter);
    }

    private static String first(Map<String, List<String>> config, String key) {
        List<String> values = config.get(key);
        return values == null || values.isEmpty() || values.get(0) == null
                ? ""
                : values.get(0).trim();
    }
}
