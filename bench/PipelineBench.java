import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency of the console's pipeline summary next to Keycloak's own user count over the same users
 * and the first page of the case list, called in turn (one call each per step) so drift hits all
 * three alike. Prints "name_p50_ms", "name_p95_ms" and the pipeline's answer size.
 * Arguments: base URL, realm, the demo users' password, rounds, calls per round.
 */
public class PipelineBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int WARMUP = 5;

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String realm = args[1];
        String password = args[2];
        int rounds = Integer.parseInt(args[3]);
        int calls = Integer.parseInt(args[4]);
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        long bytes = 0;
        for (int round = 0; round < rounds; round++) {
            // Fresh tokens each round: a round outlasts no access token.
            String admin = token(base, realm, "hr-portal&client_secret=hr-portal-demo-secret", "iam-admin", password);
            String auditor = token(base, realm, "onboarding-console", "auditor", password);
            Map<String, HttpRequest> requests = new LinkedHashMap<>();
            requests.put("pipeline", get(base + "/realms/" + realm + "/onboarding/pipeline", auditor));
            requests.put("stock_users_count", get(base + "/admin/realms/" + realm + "/users/count", admin));
            requests.put("case_list_first_page", get(base + "/admin/realms/" + realm + "/onboarding/cases?max=50", admin));
            for (int i = 0; i < WARMUP + calls; i++) {
                for (Map.Entry<String, HttpRequest> request : requests.entrySet()) {
                    long started = System.nanoTime();
                    HttpResponse<String> response = HTTP.send(request.getValue(), HttpResponse.BodyHandlers.ofString());
                    double elapsed = (System.nanoTime() - started) / 1e6;
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(request.getKey() + ": HTTP " + response.statusCode() + " " + response.body());
                    }
                    if (i >= WARMUP) {
                        millis.computeIfAbsent(request.getKey(), k -> new ArrayList<>()).add(elapsed);
                    }
                    if (request.getKey().equals("pipeline")) {
                        bytes = response.body().length();
                    }
                }
            }
        }
        for (Map.Entry<String, List<Double>> entry : millis.entrySet()) {
            List<Double> sorted = new ArrayList<>(entry.getValue());
            Collections.sort(sorted);
            System.out.printf(Locale.ROOT, "%s_p50_ms %.1f%n%s_p95_ms %.1f%n", entry.getKey(), percentile(sorted, 50),
                    entry.getKey(), percentile(sorted, 95));
        }
        System.out.printf(Locale.ROOT, "pipeline_bytes %d%n", bytes);
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build();
    }

    /** @param client {@code client_id} and, for a confidential client, {@code &client_secret=...} */
    private static String token(String base, String realm, String client, String username, String password) throws Exception {
        String form = "grant_type=password&client_id=" + client + "&username=" + username
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher matcher = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(response.body());
        if (!matcher.find()) {
            throw new IllegalStateException("no token for " + username + ": " + response.body());
        }
        return matcher.group(1);
    }
}
