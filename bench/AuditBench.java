import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Audit chain benchmark: append throughput with concurrent writers (one transaction per request,
 * through the test-hooks JAR), then the time the auditor API needs to verify a chain of a given size.
 * Usage: java AuditBench.java BASE REALM SECONDS WRITERS CHAIN_SIZE AUDITOR_PASSWORD
 * Prints "key value" lines.
 */
public class AuditBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String realm = args[1];
        int seconds = Integer.parseInt(args[2]);
        int writers = Integer.parseInt(args[3]);
        long chainSize = Long.parseLong(args[4]);
        String password = args[5];
        String hooks = base + "/realms/" + realm + "/onboarding-test-hooks/audit/append?count=";

        for (int batch : new int[] {1, 50}) {
            measure(hooks + batch, 3, writers, batch);
            double rate = measure(hooks + batch, seconds, writers, batch);
            System.out.printf("append_per_second_batch_%d %.0f%n", batch, rate);
        }

        String token = auditorToken(base, realm, password);
        long existing = verify(base, realm, token)[0];
        long started = System.nanoTime();
        fill(hooks + 5000, chainSize - existing, 4);
        double fillSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("fill_entries %d%nfill_seconds %.1f%n", chainSize - existing, fillSeconds);

        token = auditorToken(base, realm, password);
        started = System.nanoTime();
        long[] result = verify(base, realm, token);
        double verifySeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("verify_entries %d%nverify_valid %d%nverify_seconds %.1f%nverify_server_millis %d%n",
                result[0], result[1], verifySeconds, result[2]);
    }

    private static double measure(String url, int seconds, int writers, int batch) throws Exception {
        AtomicLong appended = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> futures = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < writers; i++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    post(url);
                    appended.addAndGet(batch);
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        return appended.get() / ((System.nanoTime() - started) / 1e9);
    }

    private static void fill(String url, long entries, int threads) throws Exception {
        long calls = (entries + 4999) / 5000;
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                while (next.getAndIncrement() < calls) {
                    post(url);
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
    }

    private static void post(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("append failed: " + response.statusCode() + " " + response.body());
        }
    }

    /** @return checked entries, 1 if valid, server-side milliseconds */
    private static long[] verify(String base, String realm, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/realms/" + realm + "/onboarding/audit/verify"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("verify failed: " + response.statusCode() + " " + response.body());
        }
        String body = response.body();
        return new long[] {number(body, "checked"), body.contains("\"valid\":true") ? 1 : 0, number(body, "millis")};
    }

    private static long number(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private static String auditorToken(String base, String realm, String password) throws Exception {
        // The audit API takes console tokens only; the benchmark realm lets the console use the password grant.
        String form = "grant_type=password&client_id=onboarding-console&username=auditor&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher matcher = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(response.body());
        if (!matcher.find()) {
            throw new IllegalStateException("no auditor token: " + response.body());
        }
        return matcher.group(1);
    }
}
