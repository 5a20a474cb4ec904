package io.github.onboardingguard.admin;

import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.Browser;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.TestRealms;
import io.github.onboardingguard.testsupport.Tokens;
import io.github.onboardingguard.testsupport.WebhookReceiver;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

@DisplayName("Console: the admin's day (cases, actions, alerts, health) and the pipeline's charts")
class AdminConsoleBrowserIT extends KeycloakIntegrationTest {

    private static List<String> seriousViolations(Browser browser, String selector) {
        return browser.accessibilityViolations(selector).stream()
                .filter(line -> line.contains("(serious)") || line.contains("(critical)"))
                .toList();
    }

    /** Searches for the hire and opens their case, once the list the search brings is drawn (not the one before). */
    private static void openCaseOf(Browser browser, String username) {
        search(browser, username);
        browser.click(By.cssSelector("#admin-cases tr[data-username='" + username + "'] .open-case"));
        browser.waitForText(By.id("case-title"), "Case of " + username);
    }

    private static void search(Browser browser, String text) {
        browser.waitUntil("Number(document.getElementById('admin-cases').dataset.loads || 0) >= 1");
        Object loads = browser.driver.executeScript("return document.getElementById('admin-cases').dataset.loads");
        browser.type(By.id("case-search"), text);
        browser.click(By.id("case-search-submit"));
        browser.waitUntil("document.getElementById('admin-cases').dataset.loads !== '" + loads + "'");
    }

    private static void scrollTo(Browser browser, String id) {
        browser.driver.executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
    }

    @Test
    @DisplayName(
            "an admin with manage-users creates a hire, releases a held grant, changes the deadline, suspends, "
                    + "reinstates, rejects and sends a verified hire back to verification with reasons, skips and retries an alert; the charts show the API's numbers")
    void adminActs() throws Exception {
        DemoRealm realm = DemoRealm.importFresh("admin-console");
        Map<String, Object> held =
                realm.createHireWithPassword("held-hire", Map.of("grants", Map.of("groups", List.of("/engineering"))));
        String heldCase = (String) held.get("id");
        realm.grantRealmRole(DemoRealm.userId(held), "employee");
        String verifiedCase = (String) realm.createHire("done-hire", Map.of()).get("id");
        for (String event : List.of("FIRST_LOGIN", "DOCUMENT_APPROVED", "IDENTITY_APPROVED")) {
            realm.applyEvent(verifiedCase, event);
        }
        String console = Tokens.realmUrl(realm.name) + "/onboarding/console/";

        try (WebhookReceiver receiver = new WebhookReceiver();
                Browser admin = new Browser("admin", "en")) {
            receiver.setDown(true);
            realm.subscribeToRiskAlerts(receiver.url(), "whsec_" + "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0");
            Api.Reply queued =
                    Api.post("/realms/" + realm.name + "/onboarding-test-hooks/webhooks/enqueue?count=1", null, null);
            assertThat(queued.status()).as(queued.body()).isEqualTo(200);

            admin.open(console);
            admin.signIn("iam-admin", PASSWORD);
            admin.waitFor(By.id("cases-admin-title"));

            // The pipeline: four charts drawn, and the tables say what the API says.
            admin.waitUntil("document.getElementById('numbers-stages') !== null");
            admin.waitUntil("document.querySelectorAll('#pipeline canvas').length >= 4");
            Map<String, Object> summary = Api.get(
                            "/realms/" + realm.name + "/onboarding/pipeline", realm.consoleTokenOf("iam-admin"))
                    .json();
            admin.driver.executeScript("document.getElementById('pipeline-numbers').open = true");
            Map<String, Object> stages = JsonFields.object(summary, "stages");
            for (WebElement row : admin.driver.findElements(By.cssSelector("#numbers-stages tbody tr"))) {
                String label = row.findElement(By.tagName("th")).getText();
                String count = row.findElement(By.tagName("td")).getText();
                String stage = switch (label) {
                    case "Invited" -> "INVITED";
                    case "Verified" -> "VERIFIED";
                    default -> null;
                };
                if (stage != null) {
                    assertThat(count).as(label).isEqualTo(String.valueOf(stages.get(stage)));
                }
            }
            assertThat(stages).containsEntry("INVITED", 1).containsEntry("VERIFIED", 1);
            List<String> weekRows = new ArrayList<>();
            for (WebElement row : admin.driver.findElements(By.cssSelector("#numbers-verified tbody tr"))) {
                weekRows.add(row.getText());
            }
            List<Map<String, Object>> weeks =
                    (List<Map<String, Object>>) (List<?>) JsonFields.list(summary, "timeToVerified");
            assertThat(weekRows).hasSize(weeks.size());
            Map<String, Object> thisWeek = weeks.get(weeks.size() - 1);
            String[] cells = weekRows.get(weekRows.size() - 1).split(" ");
            assertThat(cells[0]).isEqualTo(thisWeek.get("week"));
            assertThat(cells[1]).isEqualTo("1");
            assertThat(Double.parseDouble(cells[2])).isEqualTo(((Number) thisWeek.get("medianHours")).doubleValue());
            assertThat(admin.driver
                            .findElement(By.cssSelector("#chart-stages .plot"))
                            .getAttribute("aria-label"))
                    .contains("Invited 1", "Verified 1");
            assertThat(seriousViolations(admin, "#pipeline")).isEmpty();
            scrollTo(admin, "pipeline");
            admin.screenshot("3-pipeline");

            // A new hire through the form.
            admin.click(By.id("new-hire"));
            admin.type(By.id("create-username"), "form-hire");
            admin.type(By.id("create-email"), "form-hire@example.com");
            admin.type(By.id("create-first"), "Fiona");
            admin.type(By.id("create-last"), "Form");
            admin.type(By.id("create-sponsor"), "hiring-manager");
            admin.type(By.id("create-roles"), "employee");
            admin.type(By.id("create-applicant-name"), "Fiona Form");
            admin.type(By.id("create-applicant-reference"), "clear:fx-1");
            admin.type(By.id("create-ship-line1"), "12 Main Street");
            admin.type(By.id("create-ship-postal"), "62704");
            admin.type(By.id("create-ship-country"), "US");
            admin.click(By.id("create-invite"));
            admin.click(By.id("create-submit"));
            admin.waitForText(By.id("case-status"), "Created: form-hire is invited.");
            assertThat(realm.resource.users().searchByUsername("form-hire", true))
                    .hasSize(1);
            // The hiring record went with it and is on the case.
            admin.waitForText(By.id("case-applicant"), "Fiona Form · clear:fx-1");
            admin.waitForText(By.id("case-shipping"), "12 Main Street, 62704, US");

            // The held grant, released with a reason.
            openCaseOf(admin, "held-hire");
            admin.waitFor(By.cssSelector("#case-grants .release-grant[data-grant='employee']"));
            // Hires of the same sponsor are related: the form's hire among them.
            admin.waitForText(By.id("case-related"), "form-hire");
            admin.waitForText(By.id("case-related"), "sponsor: hiring-manager");
            scrollTo(admin, "case-detail");
            admin.screenshot("2-case");
            admin.click(By.cssSelector("#case-grants .release-grant[data-grant='employee']"));
            admin.waitForText(By.id("case-status"), "Give a reason first");
            admin.type(By.id("stage-reason"), "granted by mistake");
            admin.click(By.cssSelector("#case-grants .release-grant[data-grant='employee']"));
            admin.waitForText(By.id("case-status"), "Released: employee will not be given.");
            assertThat(JsonFields.list(realm.getCase(heldCase), "deferredGrants.items"))
                    .extracting(item -> String.valueOf(((Map<?, ?>) item).get("grant")))
                    .containsExactly("/engineering");

            // The deadline, then suspend, reinstate and reject, each with its reason.
            String newDeadline = LocalDate.now(ZoneOffset.UTC).plusDays(20).toString();
            admin.driver.executeScript("document.getElementById('new-deadline').value = arguments[0]", newDeadline);
            admin.click(By.id("extend-deadline"));
            admin.waitForText(By.id("case-status"), "The deadline is now " + newDeadline);
            assertThat((String) realm.getCase(heldCase).get("deadline")).startsWith(newDeadline);
            for (String[] step : new String[][] {
                {"case-suspend", "Suspended"}, {"case-reinstate", "Invited"}, {"case-reject", "Rejected"}
            }) {
                admin.type(By.id("stage-reason"), "console " + step[0]);
                admin.click(By.id(step[0]));
                admin.waitForText(By.id("case-status"), "the case is now in stage " + step[1]);
            }
            assertThat(realm.getCase(heldCase)).containsEntry("stage", "REJECTED");

            // A verified hire sent back to a full verification.
            admin.click(By.id("close-case"));
            openCaseOf(admin, "done-hire");
            admin.type(By.id("stage-reason"), "console case-reverify");
            admin.click(By.id("case-reverify"));
            admin.waitForText(By.id("case-status"), "the case is now in stage Probation");
            assertThat(realm.getCase(verifiedCase)).containsEntry("stage", "PROBATION");
            assertThat(realm.auditEntries("type=case.*")).contains("console case-suspend", "console case-reject");

            // Alerts: the waiting one skipped, then retried.
            Object loads = admin.driver.executeScript("return document.getElementById('alert-rows').dataset.loads");
            admin.click(By.id("reload-alerts"));
            admin.waitUntil("document.getElementById('alert-rows').dataset.loads !== '" + loads + "'");
            admin.click(By.cssSelector("#alert-rows tr[data-status='PENDING'] .skip-alert"));
            admin.waitFor(By.cssSelector("#alert-rows tr[data-status='DEAD'] .retry-alert"));
            admin.click(By.cssSelector("#alert-rows tr[data-status='DEAD'] .retry-alert"));
            admin.waitFor(By.cssSelector("#alert-rows tr[data-status='PENDING']"));
            assertThat(realm.auditEntries("type=alert.*")).contains("alert.skipped", "alert.retried");

            // Health: what the API says, with what to do.
            Map<String, Object> health = Api.get(
                            "/admin/realms/" + realm.name + "/onboarding/health", realm.adminToken())
                    .json();
            int holes = JsonFields.list(health, "holes").size();
            assertThat(admin.driver.findElements(By.cssSelector("#health-holes li")))
                    .hasSize(holes);

            admin.click(By.id("close-case"));
            search(admin, "");
            admin.waitForText(By.id("case-count"), "3 cases found.");
            assertThat(admin.driver.findElements(By.cssSelector("#admin-cases tr[data-stage='PROBATION']")))
                    .hasSize(1);
            for (String section : List.of("#cases-admin", "#alerts", "#health")) {
                assertThat(seriousViolations(admin, section)).as(section).isEmpty();
            }
            scrollTo(admin, "cases-admin");
            admin.screenshot("1-cases");
        }
    }

    @Test
    @DisplayName("a view-users admin reads but cannot act (the server refuses too); a verifier, an employee and "
            + "another realm's admin see none of it")
    void refusals() {
        DemoRealm realm = DemoRealm.importFresh("admin-console-refusals");
        Map<String, Object> held = realm.createHireWithPassword(
                "viewed-hire", Map.of("grants", Map.of("realmRoles", List.of("employee"))));
        String caseId = (String) held.get("id");
        String viewer = TestRealms.createUser(realm.resource, "case-viewer", PASSWORD, "employee");
        realm.grantClientRole(viewer, "realm-management", "view-users");
        String console = Tokens.realmUrl(realm.name) + "/onboarding/console/";

        try (Browser browser = new Browser("admin-view-only", "en")) {
            browser.open(console);
            browser.signIn("case-viewer", PASSWORD);
            browser.waitFor(By.id("cases-admin-title"));
            openCaseOf(browser, "viewed-hire");
            assertThat(browser.driver.findElement(By.id("case-actions")).isDisplayed())
                    .isFalse();
            assertThat(browser.driver.findElements(By.cssSelector("#case-grants .release-grant")))
                    .isEmpty();
            assertThat(browser.driver.findElement(By.id("new-hire")).isDisplayed())
                    .isFalse();
            assertThat(browser.driver.findElement(By.id("health")).isDisplayed())
                    .as("the health check needs view-realm")
                    .isFalse();
            // What a hand-made request from the same page gets: the server decides, not the page.
            Object refused = browser.driver.executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "fetch(adminUrl + '/cases/' + arguments[0] + '/suspend', {method: 'POST', headers: "
                            + "{Authorization: 'Bearer ' + tokens.access_token, 'Content-Type': 'application/json'},"
                            + " body: JSON.stringify({reason: 'not mine to do'})}).then(r => done(r.status));",
                    caseId);
            assertThat(((Number) refused).intValue()).isEqualTo(403);
        }
        assertThat(realm.getCase(caseId)).containsEntry("stage", "INVITED");

        for (String username : List.of("verifier", "hiring-manager")) {
            try (Browser browser = new Browser("admin-none-" + username, "en")) {
                browser.open(console);
                browser.signIn(username, PASSWORD);
                browser.waitFor(By.id("who"));
                browser.waitUntil("document.getElementById('who').textContent.length > 0");
                for (String section : List.of("cases-admin", "pipeline", "alerts", "health")) {
                    assertThat(browser.driver.findElement(By.id(section)).isDisplayed())
                            .as("%s sees %s", username, section)
                            .isFalse();
                }
            }
        }

        DemoRealm other = DemoRealm.importFresh("admin-console-other");
        try (Browser browser = new Browser("admin-other-realm", "en")) {
            browser.open(Tokens.realmUrl(other.name) + "/onboarding/console/");
            browser.signIn("iam-admin", PASSWORD);
            browser.waitFor(By.id("cases-admin-title"));
            search(browser, "viewed-hire");
            browser.waitForText(By.id("case-count"), "0 cases found.");
        }
    }
}
