package io.github.onboardingguard.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks a received webhook with the Standard Webhooks reference library (npm {@code standardwebhooks},
 * installed by scripts/test.sh), so the signature is judged by a receiver's code, not by ours.
 */
public final class StandardWebhooksCheck {

    private StandardWebhooksCheck() {}

    /** Whether the library accepts the delivery under {@code secret}. */
    public static boolean verifies(WebhookReceiver.Delivery delivery, String secret) {
        String script = KeycloakTestServer.requiredProperty("onboarding.webhookCheck");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", delivery.id());
        headers.put("webhook-timestamp", delivery.timestamp());
        headers.put("webhook-signature", delivery.signature());
        String input = Api.toJson(Map.of("secret", secret, "headers", headers, "body", delivery.body()));
        try {
            Process node =
                    new ProcessBuilder("node", script).redirectErrorStream(true).start();
            node.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            node.getOutputStream().close();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                throw new AssertionError("the webhook check did not finish");
            }
            if (!output.contains("\"verified\"")) {
                throw new AssertionError(
                        "the webhook check could not run (npm ci in providers/src/test/node?): " + output);
            }
            return node.exitValue() == 0 && output.contains("\"verified\":true");
        } catch (IOException e) {
            throw new AssertionError("node is needed for the webhook check", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
