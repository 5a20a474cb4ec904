import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for bench/enrollment.sh: users created through Keycloak's SCIM API, as an HR
 * system provisions them, in realms that differ only in their enrollment rules. Rounds alternate
 * between the realms (order reversed every other round) so drift hits all alike.
 *
 * java bench/ScimBench.java BASE_URL USERS_PER_ROUND ROUNDS THREADS name=realm/client/secret ...
 */
public final class ScimBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");

    record Target(String name, String realm, String client, String secret) {}

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int perRound = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        List<Target> targets = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            String[] nameAndRest = args[i].split("=", 2);
            String[] parts = nameAndRest[1].split("/");
            targets.add(new Target(nameAndRest[0], parts[0], parts[1], parts[2]));
        }
        Map<String, List<Double>> perSecond = new LinkedHashMap<>();
        targets.forEach(t -> perSecond.put(t.name(), new ArrayList<>()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        // One small round first, not counted: class loading, caches, JIT.
        for (Target target : targets) {
            create(pool, base, target, "warmup", 0, 50);
        }
        for (int round = 0; round < rounds; round++) {
            List<Target> order = new ArrayList<>(targets);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (Target target : order) {
                long started = System.nanoTime();
                create(pool, base, target, "r" + round, 0, perRound);
                double seconds = (System.nanoTime() - started) / 1e9;
                perSecond.get(target.name()).add(perRound / seconds);
            }
        }
        pool.shutdown();
        for (Map.Entry<String, List<Double>> e : perSecond.entrySet()) {
            double mean = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(0);
            StringBuilder rounds_ = new StringBuilder();
            for (double value : e.getValue()) {
                rounds_.append(rounds_.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", value));
            }
            System.out.printf(Locale.ROOT, "scim-create %s %.1f %s%n", e.getKey(), mean, rounds_);
        }
    }

    private static void create(ExecutorService pool, String base, Target target, String prefix, int from, int count)
            throws Exception {
        String token = token(base, target);
        AtomicInteger failures = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String username = "scim-" + prefix + "-" + i;
            running.add(pool.submit(() -> {
                String body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + username
                        + "\",\"name\":{\"givenName\":\"Scim\",\"familyName\":\"Bench\"},\"emails\":[{\"value\":\""
                        + username + "@example.com\",\"primary\":true}],\"active\":true}";
                HttpRequest request = HttpRequest.newBuilder(
                                URI.create(base + "/realms/" + target.realm() + "/scim/v2/Users"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/scim+json")
                        .header("Accept", "application/scim+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                try {
                    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 201) {
                        failures.incrementAndGet();
                        System.err.println(target.name() + " " + username + ": " + response.statusCode() + " "
                                + response.body());
                    }
                } catch (Exception ex) {
                    failures.incrementAndGet();
                    System.err.println(target.name() + " " + username + ": " + ex);
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " SCIM creations failed in " + target.name());
        }
    }

    private static String token(String base, Target target) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(target.client(), StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(target.secret(), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(base + "/realms/" + target.realm() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher m = ACCESS_TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("token for " + target.name() + ": " + response.body());
        }
        return m.group(1);
    }
}
