package io.github.onboardingguard.risk;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Poll;
import io.github.onboardingguard.testsupport.TestSmtpServer;
import io.github.onboardingguard.testsupport.Tokens;
import io.github.onboardingguard.testsupport.TricklingServer;
import io.github.onboardingguard.testsupport.WebhookReceiver;
import io.github.onboardingguard.webhooks.StandardWebhooks;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Risk rules fire from real actions; alerts leave as signed webhooks that survive a receiver outage")
class RiskRulesIT extends KeycloakIntegrationTest {

    private static TestSmtpServer smtp;
    private static WebhookReceiver receiver;
    private static String secret;

    @BeforeAll
    static void servers() {
        smtp = new TestSmtpServer();
        receiver = new WebhookReceiver();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        secret = "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    @AfterAll
    static void stop() throws Exception {
        smtp.close();
        receiver.close();
    }

    /** The user logs in and sets a new password on the page Keycloak asks for it, from their own session. */
    private static void setNewPasswordAtLogin(DemoRealm realm, String caseId, String username, String newPassword) {
        String userId = DemoRealm.userId(realm.getCase(caseId));
        var user = realm.user(userId);
        user.setRequiredActions(List.of("UPDATE_PASSWORD"));
        realm.resource.users().get(userId).update(user);
        HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, username, PASSWORD, null)
                .submit("kc-passwd-update-form", Map.of("password-new", newPassword, "password-confirm", newPassword));
    }

    /** In {@link #realmWithAlerts}' settings: where the realm's risk-alert subscription points, instead of the receiver. */
    private static final String ALERT_RECEIVER = "alert receiver";

    private static DemoRealm realmWithAlerts(String prefix, Map<String, String> policy) {
        DemoRealm realm = DemoRealm.importFresh(prefix);
        realm.useMailServer(smtp);
        Map<String, String> settings = new java.util.HashMap<>(
                Map.of("riskSecurityEmail", "security@example.com", "riskCountryHeader", "X-Country"));
        settings.putAll(policy);
        String alertReceiver = settings.remove(ALERT_RECEIVER);
        realm.updatePolicy(settings);
        realm.subscribeToRiskAlerts(alertReceiver == null ? receiver.url() : alertReceiver, secret);
        return realm;
    }

    /** A password login as if from {@code address}; private addresses, as the demo realm wants HTTPS from public ones. */
    private static Tokens.TokenResponse loginFrom(DemoRealm realm, String username, String address, String country) {
        String form = "grant_type=password&client_id=" + OPEN_CLIENT + "&client_secret=" + OPEN_CLIENT_SECRET
                + "&username=" + username + "&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)
                + "&scope=openid";
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(Tokens.realmUrl(realm.name) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (country != null) {
            request.header("X-Country", country);
        }
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Tokens.TokenResponse(
                    response.statusCode(),
                    new com.fasterxml.jackson.databind.ObjectMapper()
                            .readValue(
                                    response.body(),
                                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {}));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> signals(DemoRealm realm, String caseId) {
        return (List<Map<String, Object>>) realm.getCase(caseId).get("signals");
    }

    private static boolean validSignature(WebhookReceiver.Delivery delivery) {
        return StandardWebhooks.sign(secret, delivery.id(), Long.parseLong(delivery.timestamp()), delivery.body())
                .equals(delivery.signature());
    }

    @Nested
    @DisplayName("contact and credential changes")
    class ContactAndCredentials {

        @Test
        @DisplayName(
                "given a hire who changes their email five times in a minute, then each recipient gets at most one alert "
                        + "mail, and the old address a fixed notice with neither the new address nor anything the hire typed")
        void emailChangeFlood() throws Exception {
            DemoRealm realm = realmWithAlerts("risk-mail-flood", Map.of("riskRules", "contact_change=ALERT"));
            String caseId = realm.hireInProbation("flooder", Map.of("firstName", "Fred", "lastName", "Flood"));
            String typedName = "Reset-your-password-at-evil";
            // One access token for all five: after the first change the new address awaits verification.
            String token = realm.tokenOf("flooder");
            for (int change = 1; change <= 5; change++) {
                Api.Reply updated = Api.post(
                        "/realms/" + realm.name + "/account/",
                        token,
                        Api.toJson(Map.of(
                                "username",
                                "flooder",
                                "email",
                                "target" + change + "@victims.example",
                                "firstName",
                                typedName,
                                "lastName",
                                "Flood" + change)));
                assertThat(updated.status()).as(updated.body()).isIn(200, 204);
            }
            // Each change is news (another address): a signal each; the mails below are what is rate-limited.
            assertThat(signals(realm, caseId))
                    .filteredOn(signal -> "contact_change".equals(signal.get("rule")))
                    .hasSize(5);

            TestSmtpServer.Mail notice =
                    smtp.awaitMail(m -> m.to().toString().contains("flooder@example.com"), Duration.ofSeconds(20));
            smtp.awaitMail(
                    m -> m.to().toString().contains("security@example.com")
                            && m.text().contains("flooder"),
                    Duration.ofSeconds(20));
            // The mails of the later changes, had any been sent, would be out within this.
            java.util.function.Predicate<TestSmtpServer.Mail> aboutFlooder =
                    m -> m.text().contains("flooder")
                            || m.to().toString().contains("flooder@")
                            || m.to().toString().contains("victims.example");
            List<TestSmtpServer.Mail> received = Poll.nothingWithin(
                    Duration.ofSeconds(3),
                    smtp::received,
                    mails -> mails.stream().filter(aboutFlooder).count() > 3);
            assertThat(notice.text())
                    .doesNotContain("victims.example")
                    .doesNotContain(typedName)
                    .doesNotContain("Flood")
                    .doesNotContain("contact_change");
            Map<String, Long> perRecipient = received.stream()
                    .filter(aboutFlooder)
                    .collect(java.util.stream.Collectors.groupingBy(
                            m -> String.join(",", m.to()).replaceAll("[<>]", ""),
                            java.util.stream.Collectors.counting()));
            assertThat(perRecipient)
                    .as("mails per recipient")
                    .allSatisfy((recipient, count) -> assertThat(count).isEqualTo(1L))
                    .containsOnlyKeys("flooder@example.com", "security@example.com", "hiring-manager@example.com");
        }

        @Test
        @DisplayName(
                "a verified hire changes their email in the account API: back to verification, old address and sponsor told, signed webhook")
        void contactChange() throws Exception {
            DemoRealm realm = realmWithAlerts("risk-contact", Map.of());
            String caseId = realm.hireInProbation("mover", Map.of("firstName", "Max", "lastName", "Mover"));
            realm.applyEvent(caseId, "DOCUMENT_APPROVED");
            realm.applyEvent(caseId, "IDENTITY_APPROVED");
            String token = realm.tokenOf("mover");

            Api.Reply updated = Api.post(
                    "/realms/" + realm.name + "/account/",
                    token,
                    Api.toJson(Map.of(
                            "username",
                            "mover",
                            "email",
                            "max.private@example.net",
                            "firstName",
                            "Max",
                            "lastName",
                            "Mover")));
            assertThat(updated.status()).as(updated.body()).isIn(200, 204);

            assertThat(realm.getCase(caseId)).containsEntry("stage", "PROBATION");
            assertThat(signals(realm, caseId)).anySatisfy(signal -> {
                assertThat(signal).containsEntry("rule", "contact_change").containsEntry("action", "REVERIFY");
                assertThat(JsonFields.object(signal, "evidence.changed.email"))
                        .isEqualTo(Map.of("from", "mover@example.com", "to", "max.private@example.net"));
            });
            smtp.awaitMail(
                    m -> m.to().toString().contains("hiring-manager@example.com")
                            && m.text().contains("contact_change"),
                    Duration.ofSeconds(20));
            smtp.awaitMail(
                    m -> m.to().toString().contains("mover@example.com")
                            && m.text().contains("The email address of your account"),
                    Duration.ofSeconds(20));
            TestSmtpServer.Mail security = smtp.awaitMail(
                    m -> m.to().toString().contains("security@example.com")
                            && m.text().contains("Max Mover"),
                    Duration.ofSeconds(20));
            // The evidence as labelled lines, not a Java map.
            assertThat(security.text())
                    .contains("- Email now: max.private@example.net", "- IP address: ")
                    .doesNotContain("{event=");
            List<WebhookReceiver.Delivery> deliveries = receiver.await(
                    list -> list.stream()
                            .anyMatch(d -> d.body().contains("\"rule\":\"contact_change\"")
                                    && d.body().contains(caseId)),
                    Duration.ofSeconds(30));
            WebhookReceiver.Delivery delivery = deliveries.stream()
                    .filter(d -> d.body().contains(caseId))
                    .findFirst()
                    .orElseThrow();
            assertThat(validSignature(delivery))
                    .as("Standard Webhooks signature")
                    .isTrue();
            assertThat(delivery.body())
                    .contains("\"type\":\"risk.signal\"", "\"outcome\":\"sent back to verification\"");
        }

        @Test
        @DisplayName("a hire on probation changes their password: credential-change signal")
        void credentialChange() {
            DemoRealm realm = realmWithAlerts("risk-credential", Map.of("riskRules", "credential_change=LOG"));
            String caseId = realm.hireInProbation("changer", Map.of());
            setNewPasswordAtLogin(realm, caseId, "changer", "a-new-passphrase-2026");
            assertThat(signals(realm, caseId)).anySatisfy(signal -> {
                assertThat(signal).containsEntry("rule", "credential_change").containsEntry("action", "LOG");
                assertThat(JsonFields.at(signal, "evidence.event")).asString().startsWith("UPDATE_");
            });
        }
    }

    @Nested
    @DisplayName("after verification")
    class AfterVerification {

        @Test
        @DisplayName("given a hire verified a day ago, when someone sets a new password on the account from its "
                + "own session, then it is a credential-change signal (the watch period covers it)")
        void credentialChangeAfterVerification() {
            DemoRealm realm = realmWithAlerts(
                    "risk-credential-verified",
                    Map.of("riskRules", "credential_change=LOG", "riskMonitorVerifiedDays", "30"));
            String caseId = realm.hireInProbation("handover", Map.of());
            realm.applyEvent(caseId, "DOCUMENT_APPROVED");
            realm.applyEvent(caseId, "IDENTITY_APPROVED");
            setNewPasswordAtLogin(realm, caseId, "handover", "the-stand-in-2026");
            assertThat(realm.getCase(caseId)).containsEntry("stage", "VERIFIED");
            assertThat(signals(realm, caseId)).anySatisfy(signal -> {
                assertThat(signal).containsEntry("rule", "credential_change");
                assertThat(JsonFields.at(signal, "evidence.stage")).isEqualTo("VERIFIED");
            });
        }
    }

    @Nested
    @DisplayName("where logins come from")
    class WhereLoginsComeFrom {

        @Test
        @DisplayName("logins from two countries within the window: signal and the configured action (suspend)")
        void countryHop() {
            DemoRealm realm = realmWithAlerts("risk-country", Map.of("riskRules", "country_hop=SUSPEND window=PT1H"));
            String caseId = realm.hireInProbation("traveller", Map.of());
            assertThat(loginFrom(realm, "traveller", "10.1.1.10", "DE").status())
                    .isEqualTo(200);
            assertThat(signals(realm, caseId)).noneMatch(s -> "country_hop".equals(s.get("rule")));
            loginFrom(realm, "traveller", "10.2.2.20", "KP");

            assertThat(signals(realm, caseId)).anySatisfy(signal -> {
                assertThat(signal).containsEntry("rule", "country_hop").containsEntry("action", "SUSPEND");
                assertThat(JsonFields.at(signal, "evidence.country")).isEqualTo("KP");
                assertThat(JsonFields.list(signal, "evidence.countries")).containsExactly("DE", "KP");
            });
            assertThat(realm.getCase(caseId)).containsEntry("stage", "SUSPENDED");
            assertThat(loginFrom(realm, "traveller", "10.1.1.10", "DE").status())
                    .isEqualTo(400);
        }

        @Test
        @DisplayName("a login from a country outside the allowed list is signalled")
        void countryNotAllowed() {
            DemoRealm realm =
                    realmWithAlerts("risk-not-allowed", Map.of("riskRules", "country_not_allowed=LOG allowed=DE|AT"));
            String caseId = realm.hireInProbation("abroad", Map.of());
            loginFrom(realm, "abroad", "10.3.3.3", "AT");
            assertThat(signals(realm, caseId)).noneMatch(s -> "country_not_allowed".equals(s.get("rule")));
            loginFrom(realm, "abroad", "10.4.4.4", "FR");
            assertThat(signals(realm, caseId)).anySatisfy(signal -> {
                assertThat(signal).containsEntry("rule", "country_not_allowed").containsEntry("action", "LOG");
                assertThat(JsonFields.at(signal, "evidence.country")).isEqualTo("FR");
                assertThat(JsonFields.list(signal, "evidence.allowed")).containsExactly("DE", "AT");
            });
        }

        @Test
        @DisplayName(
                "given a hire logging in through Tor behind Cloudflare (country header T1), then it is a "
                        + "country_unknown alert by default; XX or a malformed value too, and the address ranges name the country")
        void torAndUnknownCountryHeader() {
            DemoRealm realm = realmWithAlerts("risk-tor", Map.of("riskRules", "country_not_allowed=LOG allowed=DE|AT"));
            String caseId = realm.hireInProbation("onion", Map.of());
            loginFrom(realm, "onion", "10.3.3.4", "T1");
            loginFrom(realm, "onion", "10.50.1.2", "XX");
            loginFrom(realm, "onion", "10.60.1.2", "not-a-country");
            loginFrom(realm, "onion", "10.3.3.5", "T1");
            List<Map<String, Object>> signals = signals(realm, caseId);
            assertThat(signals)
                    .filteredOn(s -> "country_unknown".equals(s.get("rule")))
                    .allSatisfy(s -> assertThat(s).containsEntry("action", "ALERT"))
                    .extracting(
                            s -> JsonFields.at(s, "evidence.countryHeader"),
                            s -> JsonFields.object(s, "evidence").get("countryFromRanges"))
                    .as("once per value and window; no range names 10.3.3.x")
                    .containsExactlyInAnyOrder(tuple("T1", null), tuple("XX", "NL"), tuple("NOT-A-COUNTRY", "BR"));
            assertThat(signals)
                    .filteredOn(s -> "country_not_allowed".equals(s.get("rule")))
                    .extracting(s -> JsonFields.at(s, "evidence.country"))
                    .containsExactlyInAnyOrder("NL", "BR");
        }

        @Test
        @DisplayName("without a country header, the admin's address-range file names the country")
        void countryFromRangeFile() {
            DemoRealm realm = realmWithAlerts(
                    "risk-ranges", Map.of("riskCountryHeader", "", "riskRules", "country_hop=LOG window=PT1H"));
            String caseId = realm.hireInProbation("ranger", Map.of());
            loginFrom(realm, "ranger", "10.50.1.1", null);
            loginFrom(realm, "ranger", "10.60.7.7", null);
            assertThat(signals(realm, caseId)).anySatisfy(signal -> {
                assertThat(signal).containsEntry("rule", "country_hop");
                assertThat(JsonFields.list(signal, "evidence.countries")).containsExactly("AR", "NL");
            });
        }

        @Test
        @DisplayName(
                "given a laptop farm of hires with long user names, when the last one logs in, then the login works and the "
                        + "signal keeps what fits, marked truncated (its evidence is longer than the column)")
        void laptopFarmBeyondTheColumn() throws InterruptedException {
            DemoRealm realm = realmWithAlerts("risk-big-farm", Map.of());
            int hires = 20;
            String padding = "x".repeat(190);
            String last = null;
            for (int i = 1; i <= hires; i++) {
                last = realm.hireInProbation("farm-" + i + "-" + padding, Map.of("email", "farm" + i + "@example.com"));
            }
            for (int i = 1; i <= hires; i++) {
                Tokens.TokenResponse login = loginFrom(realm, "farm-" + i + "-" + padding, "10.20.40." + i, null);
                assertThat(login.status()).as("login %d: %s", i, login.body()).isEqualTo(200);
            }
            assertThat(signals(realm, last)).anySatisfy(signal -> {
                assertThat(signal).containsEntry("rule", "shared_address");
                assertThat(JsonFields.at(signal, "evidence.addressPrefix")).isEqualTo("10.20.40.0/24");
                assertThat(JsonFields.at(signal, "evidence.truncated")).isEqualTo(true);
                assertThat(JsonFields.list(signal, "evidence.accounts")).isNotEmpty();
            });
            String lastCase = last;
            receiver.await(
                    list -> list.stream()
                            .anyMatch(
                                    d -> d.body().contains(lastCase) && d.body().contains("shared_address")),
                    Duration.ofSeconds(30));
        }

        @Test
        @DisplayName("three hires logging in from one /24: the laptop-farm signal")
        void laptopFarm() {
            DemoRealm realm = realmWithAlerts("risk-farm", Map.of());
            String first = realm.hireInProbation("farm-1", Map.of());
            realm.hireInProbation("farm-2", Map.of());
            String third = realm.hireInProbation("farm-3", Map.of());
            loginFrom(realm, "farm-1", "10.20.30.7", null);
            loginFrom(realm, "farm-2", "10.20.30.8", null);
            assertThat(signals(realm, first)).noneMatch(s -> "shared_address".equals(s.get("rule")));
            loginFrom(realm, "farm-3", "10.20.30.9", null);

            assertThat(signals(realm, third)).anySatisfy(signal -> {
                assertThat(signal).containsEntry("rule", "shared_address").containsEntry("action", "ALERT");
                assertThat(JsonFields.at(signal, "evidence.addressPrefix")).isEqualTo("10.20.30.0/24");
                assertThat(JsonFields.list(signal, "evidence.accounts")).containsExactly("farm-1", "farm-2", "farm-3");
            });
        }
    }

    @Nested
    @DisplayName("reaching for more access")
    class AttemptsAndGrants {

        @Test
        @DisplayName("an admin grants a role outside the allow-list to an unverified hire: privileged-grant signal")
        void privilegedGrant() {
            DemoRealm realm = realmWithAlerts("risk-grant", Map.of("riskRules", "privileged_grant=LOG"));
            String caseId = realm.hireInProbation("granted", Map.of());
            String userId = DemoRealm.userId(realm.getCase(caseId));
            realm.grantRealmRole(userId, "employee");
            assertThat(signals(realm, caseId)).anySatisfy(signal -> {
                assertThat(signal).containsEntry("rule", "privileged_grant").containsEntry("action", "LOG");
                assertThat(JsonFields.list(signal, "evidence.granted")).containsExactly("employee");
            });
        }

        @Test
        @DisplayName(
                "reaching for a closed client and a burst of failed logins are signalled; a burst anyone can cause only "
                        + "alerts, even where the policy asks for a step-up")
        void restrictedClientAndFailures() {
            DemoRealm realm = realmWithAlerts(
                    "risk-burst", Map.of("riskRules", "failed_login_burst=STEP_UP failures=3 window=PT5M"));
            String caseId = realm.hireInProbation("prober", Map.of());
            Tokens.passwordGrant(
                    realm.name, DemoRealm.CLOSED_CLIENT, DemoRealm.CLOSED_CLIENT_SECRET, "prober", PASSWORD);
            for (int i = 0; i < 3; i++) {
                Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "prober", "wrong-" + i);
            }
            assertThat(signals(realm, caseId))
                    .extracting(s -> s.get("rule"))
                    .contains("restricted_client", "failed_login_burst");
            assertThat(signals(realm, caseId))
                    .filteredOn(s -> "failed_login_burst".equals(s.get("rule")))
                    .singleElement()
                    .satisfies(burst -> {
                        assertThat(burst.get("action")).isEqualTo("ALERT");
                        assertThat(JsonFields.at(burst, "evidence.configuredAction"))
                                .isEqualTo("STEP_UP");
                    });
            String userId = DemoRealm.userId(realm.getCase(caseId));
            assertThat(realm.user(userId).getRequiredActions()).doesNotContain("CONFIGURE_TOTP");
        }
    }

    @Nested
    @DisplayName("alert delivery and settings")
    class AlertsAndSettings {

        @Test
        @DisplayName(
                "a receiver that is down gets every alert once and in order when it is back; logins never wait for it")
        void receiverOutage() throws Exception {
            DemoRealm realm = realmWithAlerts("risk-outage", Map.of());
            // Four hires from one address would be a laptop farm too; only the refusals are wanted here.
            realm.updatePolicyList("riskRules", List.of("restricted_client=ALERT", "shared_address=OFF"));
            // Four hires, one refusal each: repeats of one hire's rule are folded into one signal.
            List<String> cases = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                cases.add(realm.hireInProbation("knocker-" + i, Map.of()));
            }
            receiver.setDown(true);
            long slowest = 0;
            for (int i = 0; i < 4; i++) {
                long started = System.nanoTime();
                Tokens.TokenResponse refused = Tokens.passwordGrant(
                        realm.name, DemoRealm.CLOSED_CLIENT, DemoRealm.CLOSED_CLIENT_SECRET, "knocker-" + i, PASSWORD);
                slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
                assertThat(refused.status()).isEqualTo(400);
                Thread.sleep(50);
            }
            assertThat(slowest)
                    .as("slowest login while the receiver was down, ms")
                    .isLessThan(3_000);
            try {
                assertThat(Poll.until(Duration.ofSeconds(20), receiver::refusedIds, ids -> !ids.isEmpty()))
                        .as("delivery was attempted while down")
                        .isNotEmpty();
            } finally {
                receiver.setDown(false);
            }
            java.util.function.Predicate<WebhookReceiver.Delivery> ours =
                    d -> d.body().contains("\"rule\":\"restricted_client\"")
                            && cases.stream().anyMatch(d.body()::contains);
            receiver.await(list -> list.stream().filter(ours).count() >= 4, Duration.ofSeconds(60));
            // A second delivery of any of them would come within the next runs of the delivery task.
            List<WebhookReceiver.Delivery> mine = Poll.nothingWithin(
                    Duration.ofSeconds(3),
                    () -> receiver.accepted().stream().filter(ours).toList(),
                    delivered -> delivered.size() > 4);
            Set<String> ids = new HashSet<>();
            mine.forEach(d -> ids.add(d.id()));
            assertThat(mine).hasSize(4);
            assertThat(ids).as("each alert once").hasSize(4);
            assertThat(mine).allMatch(RiskRulesIT::validSignature);
            List<String> signalIds = cases.stream()
                    .flatMap(caseId -> signals(realm, caseId).stream())
                    .filter(s -> "restricted_client".equals(s.get("rule")))
                    // As instants: ISO text drops a whole second's fraction ("…:37Z" sorts after "…:37.5Z").
                    .sorted(java.util.Comparator.comparing(s -> java.time.Instant.parse((String) s.get("at"))))
                    .map(s -> (String) s.get("id"))
                    .toList();
            assertThat(mine.stream()
                            .map(d -> d.body().replaceAll(".*\"signalId\":\"([^\"]+)\".*", "$1"))
                            .toList())
                    .as("in the order the alerts were raised")
                    .containsExactlyElementsOf(signalIds);

            Api.Reply status = Api.get("/admin/realms/" + realm.name + "/onboarding/alerts", realm.adminToken());
            assertThat(status.status()).as(status.body()).isEqualTo(200);
            assertThat(status.body()).contains("\"status\":\"DELIVERED\"");
        }

        @Test
        @DisplayName(
                "given a receiver that refuses one alert for good (HTTP 400), then the alerts after it still arrive; "
                        + "the refused one is dead-lettered until an admin retries it, and a waiting one can be skipped")
        void refusedAlertDoesNotBlockTheQueue() throws Exception {
            DemoRealm realm = realmWithAlerts("risk-dead-letter", Map.of("riskRules", "restricted_client=ALERT"));
            String poisoned = realm.hireInProbation("poisoned-hire", Map.of());
            String next = realm.hireInProbation("next-hire", Map.of());
            // A second refusal of next-hire within the rule's window would be counted on its first signal, not alerted.
            realm.hireInProbation("later-hire", Map.of());
            String alerts = "/admin/realms/" + realm.name + "/onboarding/alerts";
            String poisonedAlert;
            receiver.refuseBodiesContaining(poisoned);
            try {
                poisonedAlert = refusedAlertOf(realm, "poisoned-hire");
                Tokens.passwordGrant(
                        realm.name, DemoRealm.CLOSED_CLIENT, DemoRealm.CLOSED_CLIENT_SECRET, "next-hire", PASSWORD);
                receiver.await(list -> list.stream().anyMatch(d -> d.body().contains(next)), Duration.ofSeconds(20));
                assertThat(alertRow(realm, poisonedAlert))
                        .containsEntry("status", "DEAD")
                        .satisfies(row ->
                                assertThat(String.valueOf(row.get("lastError"))).contains("HTTP 400"));
            } finally {
                receiver.refuseBodiesContaining(null);
            }

            Api.Reply retried = Api.post(alerts + "/" + poisonedAlert + "/retry", realm.adminToken(), null);
            assertThat(retried.status()).as(retried.body()).isEqualTo(200);
            receiver.await(list -> list.stream().anyMatch(d -> d.id().equals(poisonedAlert)), Duration.ofSeconds(20));
            assertThat(alertRow(realm, poisonedAlert)).containsEntry("status", "DELIVERED");

            receiver.setDown(true);
            String waiting;
            try {
                waiting = refusedAlertOf(realm, "later-hire");
                Api.Reply skipped = Api.post(alerts + "/" + waiting + "/skip", realm.adminToken(), null);
                assertThat(skipped.status()).as(skipped.body()).isEqualTo(200);
                assertThat(skipped.json()).containsEntry("status", "DEAD");
            } finally {
                receiver.setDown(false);
            }
            Api.Reply again = Api.post(alerts + "/" + poisonedAlert + "/skip", realm.adminToken(), null);
            assertThat(again.status()).as("a delivered alert cannot be skipped").isEqualTo(409);
            assertThat(again.json()).containsKeys("error", "message");
            Api.Reply unknown = Api.post(alerts + "/msg_nosuchalert/retry", realm.adminToken(), null);
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json()).containsKeys("error", "message");
            assertThat(Api.get(
                                    "/realms/" + realm.name + "/onboarding/audit/entries?type=alert.*",
                                    realm.consoleTokenOf("auditor"))
                            .body())
                    .contains("alert.retried", "alert.skipped");

            DemoRealm otherRealm = DemoRealm.importFresh("risk-dead-letter-other");
            for (String action : List.of("retry", "skip")) {
                String path = alerts + "/" + waiting + "/" + action;
                assertThat(Api.post(path, null, null).status())
                        .as("anonymous %s", action)
                        .isEqualTo(401);
                for (Map.Entry<String, String> caller : Map.of(
                                "hire", realm.tokenOf("next-hire"),
                                "verifier", realm.consoleTokenOf("verifier"),
                                "auditor", realm.consoleTokenOf("auditor"),
                                "admin of another realm", otherRealm.adminToken())
                        .entrySet()) {
                    Api.Reply refused = Api.post(path, caller.getValue(), null);
                    assertThat(refused.status())
                            .as("%s on %s: %s", caller.getKey(), action, refused.body())
                            .isEqualTo(403);
                }
            }
            assertThat(alertRow(realm, waiting))
                    .as("refused callers changed nothing")
                    .containsEntry("status", "DEAD");

            // Settled alerts carry addresses and evidence: delivered ones go after 30 days, dead ones after 180.
            String prune = "/realms/" + realm.name + "/onboarding-test-hooks/webhooks/prune?now=";
            assertThat(Api.post(prune + java.time.Instant.now().plus(Duration.ofDays(29)), null, null)
                            .body())
                    .contains("\"removed\":0");
            Api.post(prune + java.time.Instant.now().plus(Duration.ofDays(31)), null, null);
            Api.Reply left = Api.get(alerts, realm.adminToken());
            assertThat(JsonFields.list(left.json(), "items"))
                    .isNotEmpty()
                    .allSatisfy(row -> assertThat(JsonFields.at(row, "status")).isEqualTo("DEAD"));
            Api.post(prune + java.time.Instant.now().plus(Duration.ofDays(181)), null, null);
            assertThat(JsonFields.list(Api.get(alerts, realm.adminToken()).json(), "items"))
                    .isEmpty();
        }

        @Test
        @DisplayName(
                "given a receiver that answers a status line and then trickles its headers for a minute, then the delivery "
                        + "gives up after the timeout instead of holding the task")
        void tricklingReceiver() throws Exception {
            try (TricklingServer trickler = new TricklingServer(Duration.ofSeconds(60))) {
                DemoRealm realm = realmWithAlerts(
                        "risk-trickle", Map.of("riskRules", "restricted_client=ALERT", ALERT_RECEIVER, trickler.url()));
                realm.hireInProbation("slow-hire", Map.of());
                long started = System.currentTimeMillis();
                Tokens.passwordGrant(
                        realm.name, DemoRealm.CLOSED_CLIENT, DemoRealm.CLOSED_CLIENT_SECRET, "slow-hire", PASSWORD);
                String body = Poll.until(
                        Duration.ofSeconds(25),
                        () -> Api.get("/admin/realms/" + realm.name + "/onboarding/alerts", realm.adminToken())
                                .body(),
                        alerts -> alerts.contains("timed out"));
                assertThat(trickler.reached()).as("the receiver was reached").isPositive();
                assertThat(body)
                        .as("given up within the timeout, not after the minute")
                        .contains("\"lastError\":\"timed out\"");
            }
        }

        /** The hire reaches for a closed client; returns the id of the alert the receiver then refuses. */
        private String refusedAlertOf(DemoRealm realm, String hire) throws InterruptedException {
            int refusedBefore = receiver.refusedIds().size();
            Tokens.passwordGrant(realm.name, DemoRealm.CLOSED_CLIENT, DemoRealm.CLOSED_CLIENT_SECRET, hire, PASSWORD);
            assertThat(Poll.until(Duration.ofSeconds(20), receiver::refusedIds, ids -> ids.size() > refusedBefore))
                    .as("the receiver saw and refused the alert")
                    .hasSizeGreaterThan(refusedBefore);
            return receiver.refusedIds().get(receiver.refusedIds().size() - 1);
        }

        private Map<String, Object> alertRow(DemoRealm realm, String alertId) {
            Api.Reply list = Api.get("/admin/realms/" + realm.name + "/onboarding/alerts", realm.adminToken());
            assertThat(list.status()).as(list.body()).isEqualTo(200);
            return JsonFields.list(list.json(), "items").stream()
                    .map(row -> JsonFields.object(row, ""))
                    .filter(row -> alertId.equals(row.get("id")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no alert " + alertId + " in " + list.body()));
        }

        @Test
        @DisplayName(
                "given a realm admin aiming an alert subscription inward (loopback, cloud metadata, private ranges, "
                        + "a user-info URL, a 100 kB URL), then it is refused and nothing is stored")
        void webhookAimedInward() {
            DemoRealm realm = DemoRealm.importFresh("risk-ssrf");
            for (String url : List.of(
                    "http://127.0.0.1:8080/admin/master/console/",
                    // localhost itself is listed on the (development-mode) test server, which lets it in there.
                    "https://api.localhost:9000/",
                    "http://169.254.169.254/latest/meta-data/",
                    "https://10.0.0.5/hook",
                    "https://192.168.1.1/",
                    "https://[::1]:8443/",
                    "https://[fd00::1]/",
                    "https://[::ffff:127.0.0.1]/",
                    "https://2130706433/",
                    "https://0x7f000001/",
                    "https://user:password@siem.example.com/hook",
                    "https://siem.example.com/" + "a".repeat(100_000))) {
                Api.Reply saved = realm.saveWebhookSubscription(url, secret, List.of("risk.signal"));
                assertThat(saved.status())
                        .as(url.substring(0, Math.min(80, url.length())))
                        .isEqualTo(400);
                assertThat(saved.body()).contains("webhookUrl").hasSizeLessThan(5_000);
            }
            assertThat(realm
                            .resource
                            .components()
                            .query(
                                    realm.resource.toRepresentation().getId(),
                                    "org.keycloak.services.ui.extend.UiPageProvider")
                            .stream()
                            .filter(c -> "onboarding-webhook".equals(c.getProviderId())))
                    .as("nothing stored")
                    .isEmpty();
        }

        @Test
        @DisplayName("given a webhook host name that resolves to an internal address the operator did not allow, "
                + "when an alert is due, then it is refused without a connection and the error names no port")
        void webhookNameResolvingInward() throws Exception {
            String port = receiver.url().replaceAll("^https?://[^:/]+:(\\d+).*$", "$1");
            DemoRealm realm = realmWithAlerts(
                    "risk-ssrf-dns",
                    Map.of(
                            "riskRules",
                            "restricted_client=ALERT",
                            ALERT_RECEIVER,
                            "https://internal-siem.test:" + port + "/hook"));
            String caseId = realm.hireInProbation("inward", Map.of());
            assertThat(Tokens.passwordGrant(
                                    realm.name,
                                    DemoRealm.CLOSED_CLIENT,
                                    DemoRealm.CLOSED_CLIENT_SECRET,
                                    "inward",
                                    PASSWORD)
                            .status())
                    .isEqualTo(400);
            String body = Poll.until(
                    Duration.ofSeconds(20),
                    () -> Api.get("/admin/realms/" + realm.name + "/onboarding/alerts", realm.adminToken())
                            .body(),
                    alerts -> alerts.contains("destination refused"));
            assertThat(body).contains("destination refused", "internal address").doesNotContain(port);
            assertThat(receiver.accepted()).noneMatch(d -> d.body().contains(caseId));
            assertThat(receiver.refusedIds()).isEmpty();
        }

        @Test
        @DisplayName("unknown or malformed risk settings are refused with a message naming them")
        void malformedPolicy() {
            DemoRealm realm = DemoRealm.importFresh("risk-policy");
            for (Map.Entry<String, String> bad : Map.of(
                            "riskRules", "teleport=ALERT",
                            "riskMonitorVerifiedDays", "-2",
                            "riskCountryHeader", "Not A Header")
                    .entrySet()) {
                try {
                    realm.updatePolicy(Map.of(bad.getKey(), bad.getValue()));
                    throw new AssertionError(bad + " was accepted");
                } catch (jakarta.ws.rs.BadRequestException e) {
                    assertThat(e.getResponse().readEntity(String.class)).contains(bad.getKey());
                }
            }
        }
    }
}
