import java.io.InputStream;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API latencies for bench/scale.sh on a realm with many cases and a long audit chain: listing and
 * filtering cases, one hire's dossier, and a whole-chain export while the server's heap is sampled
 * (the test-hooks JAR's heap endpoint: used heap after a full GC). Prints "key value" lines.
 *
 * java bench/ScaleBench.java BASE_URL REALM DEMO_PASSWORD HIRE_USERNAME
 */
public final class ScaleBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int WARMUP = 5;
    private static final int CALLS = 40;

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String realm = args[1];
        String password = args[2];
        String hire = args[3];
        String admin = token(base, realm, "hr-portal&client_secret=hr-portal-demo-secret", "iam-admin", password);
        // The audit API takes console tokens only; the benchmark realm lets the console use the password grant.
        String auditor = token(base, realm, "onboarding-console", "auditor", password);

        Map<String, String> calls = new LinkedHashMap<>();
        String cases = base + "/admin/realms/" + realm + "/onboarding/cases";
        calls.put("list_first_page", cases);
        calls.put("list_stage_probation", cases + "?stage=PROBATION");
        calls.put("list_overdue", cases + "?overdue=true");
        calls.put("list_deep_page", cases + "?first=90000&max=50");
        String audit = base + "/realms/" + realm + "/onboarding/audit";
        for (Map.Entry<String, String> call : calls.entrySet()) {
            latencies(call.getKey(), call.getValue(), admin);
        }
        latencies("dossier", audit + "/dossier/" + hire, auditor);

        String heap = base + "/realms/" + realm + "/onboarding-test-hooks/heap";
        long before = usedHeap(heap);
        AtomicBoolean exporting = new AtomicBoolean(true);
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (exporting.get()) {
                try {
                    peak.accumulateAndGet(usedHeap(heap), Math::max);
                    Thread.sleep(2000);
                } catch (Exception e) {
                    return;
                }
            }
        });
        sampler.start();
        long started = System.nanoTime();
        long lines = 0;
        long bytes = 0;
        HttpResponse<InputStream> export = HTTP.send(get(audit + "/export?format=JSONL", auditor), HttpResponse.BodyHandlers.ofInputStream());
        if (export.statusCode() != 200) {
            throw new IllegalStateException("export: HTTP " + export.statusCode());
        }
        try (InputStream in = export.body()) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                bytes += read;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        exporting.set(false);
        sampler.join();
        System.out.printf(Locale.ROOT, "export_lines %d%nexport_bytes %d%nexport_seconds %.1f%nheap_before_mb %d%nheap_peak_mb %d%n",
                lines, bytes, seconds, before >> 20, peak.get() >> 20);
    }

    private static void latencies(String name, String url, String token) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < WARMUP + CALLS; i++) {
            long started = System.nanoTime();
            HttpResponse<String> response = HTTP.send(get(url, token), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(name + ": HTTP " + response.statusCode() + " " + response.body());
            }
            if (i >= WARMUP) {
                millis.add((System.nanoTime() - started) / 1e6);
            }
        }
        Collections.sort(millis);
        System.out.printf(Locale.ROOT, "%s_p50_ms %.1f%n%s_p95_ms %.1f%n", name, percentile(millis, 50), name, percentile(millis, 95));
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build();
    }

    private static long usedHeap(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher matcher = Pattern.compile("\"used\":(\\d+)").matcher(response.body());
        if (!matcher.find()) {
            throw new IllegalStateException("heap: " + response.statusCode() + " " + response.body());
        }
        return Long.parseLong(matcher.group(1));
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
