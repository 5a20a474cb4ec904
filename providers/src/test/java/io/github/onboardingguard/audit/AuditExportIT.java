package io.github.onboardingguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.KeycloakTestServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Audit export of 100,000 entries streams in constant server memory")
class AuditExportIT extends KeycloakIntegrationTest {

    private static final int ENTRIES = 100_000;
    private static final int PER_CALL = 5_000;
    /** 100,000 entries are about 45 MB of JSON Lines; a server that buffered them would hold far more. */
    private static final long MAX_HELD_BYTES = 24L * 1024 * 1024;

    @Test
    @DisplayName("while the client stops reading mid-export, the server holds at most one page of entries")
    void streams() throws Exception {
        DemoRealm realm = DemoRealm.importFresh("audit-export");
        for (int written = 0; written < ENTRIES; written += PER_CALL) {
            AuditTrailIT.append(realm, PER_CALL);
        }
        long baseline = heapAfterGc(realm);

        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        KeycloakTestServer.baseUrl() + AuditTrailIT.auditBase(realm) + "/export?format=jsonl"))
                .header("Authorization", "Bearer " + realm.consoleTokenOf("auditor"))
                .GET()
                .build();
        HttpResponse<InputStream> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("ndjson"));
        long lines = 0;
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (; lines < 1000; lines++) {
                assertThat(reader.readLine()).startsWith("{");
            }
            // The server is now blocked writing to a full socket, in the middle of the export.
            Thread.sleep(1000);
            long during = heapAfterGc(realm);
            System.out.printf("Export heap: baseline %d MB, mid-export %d MB%n", baseline >> 20, during >> 20);
            assertThat(during - baseline)
                    .as("heap held mid-export beyond the baseline")
                    .isLessThan(MAX_HELD_BYTES);
            String line;
            String lastEntry = null;
            String last = null;
            while ((line = reader.readLine()) != null) {
                lines++;
                lastEntry = last;
                last = line;
            }
            assertThat(lastEntry).contains("\"type\":\"test.synthetic\"");
            assertThat(last).as("the head closes the export").contains("\"head\":{");
        }
        assertThat(lines).isGreaterThanOrEqualTo(ENTRIES);
    }

    private static long heapAfterGc(DemoRealm realm) {
        Api.Reply reply = Api.get("/realms/" + realm.name + "/onboarding-test-hooks/heap", null);
        assertThat(reply.status()).isEqualTo(200);
        return ((Number) reply.json().get("used")).longValue();
    }
}
