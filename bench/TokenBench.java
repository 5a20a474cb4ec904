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
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Load generator for bench/run.sh: password-grant logins and token refreshes per second against
 * several realm/user scenarios on one server, in interleaved rounds (order reversed every other
 * round) so drift hits all alike.
 *
 * java bench/TokenBench.java BASE_URL SECONDS WARMUP_SECONDS THREADS ROUNDS name=realm/client/secret/user/password ...
 */
public final class TokenBench {

    private static final Pattern REFRESH = Pattern.compile("\"refresh_token\":\"([^\"]+)\"");
    private static volatile String firstFailure;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Scenario(String name, String realm, String client, String secret, String user, String password) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int seconds = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        List<Scenario> scenarios = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            String[] nameAndSpec = args[i].split("=", 2);
            String[] p = nameAndSpec[1].split("/");
            scenarios.add(new Scenario(nameAndSpec[0], p[0], p[1], p[2], p[3], p[4]));
        }
        Map<String, double[]> totals = new LinkedHashMap<>();
        // -Dbench.workloads=refresh measures one workload only (bench/profile.sh).
        for (String workload : System.getProperty("bench.workloads", "login,refresh").split(",")) {
            for (Scenario s : scenarios) {
                run(base, workload, s, warmup, threads); // warm-up: JIT and caches, not counted
            }
            for (int round = 1; round <= rounds; round++) {
                // A-B-B-A order: a steady drift (JIT, caches, database growth) cancels out of the means.
                List<Scenario> order = new ArrayList<>(scenarios);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (Scenario s : order) {
                    double rate = run(base, workload, s, seconds, threads);
                    totals.computeIfAbsent(workload + " " + s.name(), k -> new double[rounds])[round - 1] = rate;
                    System.err.printf(Locale.ROOT, "round %d %-7s %-22s %8.1f /s%n", round, workload, s.name(), rate);
                }
            }
        }
        // Machine-readable summary: workload scenario mean per-round...
        for (Map.Entry<String, double[]> e : totals.entrySet()) {
            double mean = java.util.Arrays.stream(e.getValue()).average().orElse(0);
            System.out.printf(Locale.ROOT, "%s %.1f %s%n", e.getKey(), mean,
                    java.util.Arrays.stream(e.getValue()).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v))
                            .collect(Collectors.joining(",")));
        }
    }

    private static double run(String base, String workload, Scenario s, int seconds, int threads) throws Exception {
        String tokenUrl = base + "/realms/" + s.realm() + "/protocol/openid-connect/token";
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                String refreshToken = workload.equals("refresh") ? refreshTokenOf(login(tokenUrl, s)) : null;
                while (System.nanoTime() < end) {
                    String body = workload.equals("login") ? login(tokenUrl, s) : refresh(tokenUrl, s, refreshToken);
                    if (body != null) {
                        ok.incrementAndGet();
                        if (refreshToken != null) {
                            refreshToken = refreshTokenOf(body);
                        }
                    } else {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " failed requests in " + workload + " " + s.name()
                    + "; first: " + firstFailure);
        }
        return ok.get() / elapsed;
    }

    private static String refreshTokenOf(String tokenResponse) {
        Matcher m = REFRESH.matcher(tokenResponse == null ? "" : tokenResponse);
        if (!m.find()) {
            throw new IllegalStateException("No refresh token in " + tokenResponse + "; first failure: " + firstFailure);
        }
        return m.group(1);
    }

    private static String login(String tokenUrl, Scenario s) {
        return post(tokenUrl, Map.of("grant_type", "password", "client_id", s.client(), "client_secret", s.secret(),
                "username", s.user(), "password", s.password(), "scope", "openid"));
    }

    private static String refresh(String tokenUrl, Scenario s, String refreshToken) {
        return post(tokenUrl, Map.of("grant_type", "refresh_token", "client_id", s.client(), "client_secret", s.secret(),
                "refresh_token", refreshToken));
    }

    private static String post(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return response.body();
            }
            firstFailure = response.statusCode() + " " + response.body();
            return null;
        } catch (Exception e) {
            firstFailure = e.toString();
            return null;
        }
    }
}
