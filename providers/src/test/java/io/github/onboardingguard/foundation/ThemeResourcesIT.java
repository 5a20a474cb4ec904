package io.github.onboardingguard.foundation;

import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Tokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RealmRepresentation;

@DisplayName("Pages and emails as theme resources: the realm keeps its own login theme and every locale it offers")
class ThemeResourcesIT extends KeycloakIntegrationTest {

    private static final String REFUSED = "id=\"onboarding-refused\"";

    /** A realm as a company runs it: its own theme (or none), English, German and French. */
    private static DemoRealm realm(String prefix, String loginTheme) {
        DemoRealm realm = DemoRealm.importFresh(prefix);
        RealmRepresentation rep = realm.resource.toRepresentation();
        rep.setLoginTheme(loginTheme);
        rep.setSupportedLocales(java.util.Set.of("en", "de", "fr"));
        realm.resource.update(rep);
        var closed = realm.resource.clients().findByClientId(CLOSED_CLIENT).get(0);
        closed.setRedirectUris(List.of(HireBrowser.CALLBACK));
        realm.resource.clients().get(closed.getId()).update(closed);
        return realm;
    }

    private static Tokens.BrowserLogin refusedLogin(DemoRealm realm, String username, String locale) {
        realm.createHireWithPassword(username, Map.of());
        Tokens.BrowserLogin closed = Tokens.browserLogin(
                realm.name, CLOSED_CLIENT, CLOSED_CLIENT_SECRET, HireBrowser.CALLBACK, username, PASSWORD, locale);
        assertThat(closed.lastStatus()).as(closed.lastPage()).isEqualTo(403);
        assertThat(closed.lastPage()).contains(REFUSED);
        return closed;
    }

    @Test
    @DisplayName("given a realm on Keycloak's default theme (keycloak.v2), then the refusal and status pages render in "
            + "German for a German hire, and French stays available with English texts of ours")
    void defaultThemeAndLocales() {
        DemoRealm realm = realm("theme-default", null);
        assertThat(realm.resource.toRepresentation().getLoginTheme()).isNull();
        assertThat(refusedLogin(realm, "german-hire", "de").lastPage())
                .contains("steht Ihnen zur Verf\u00fcgung, sobald Ihre Identit\u00e4t best\u00e4tigt ist");
        String french = refusedLogin(realm, "french-hire", "fr").lastPage();
        assertThat(french).contains("lang=\"fr\"", "opens once your identity has been verified");
        assertThat(realm.resource.toRepresentation().getSupportedLocales()).containsExactlyInAnyOrder("en", "de", "fr");

        HireBrowser status =
                HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "german-hire", PASSWORD, "de");
        assertThat(status.onStatusPage()).as(status.page()).isTrue();
    }

    @Test
    @DisplayName(
            "given a realm on Keycloak's plain base theme, then the refusal and status pages render in it, in German "
                    + "for a German hire")
    void baseTheme() {
        DemoRealm realm = realm("theme-base", "base");
        assertThat(realm.resource.toRepresentation().getLoginTheme()).isEqualTo("base");
        String refused = refusedLogin(realm, "base-hire", "de").lastPage();
        assertThat(refused)
                .contains("steht Ihnen zur Verf\u00fcgung, sobald Ihre Identit\u00e4t best\u00e4tigt ist")
                // keycloak.v2 pulls in PatternFly; base does not, which shows the page came from base.
                .doesNotContain("patternfly");
        HireBrowser status =
                HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "base-hire", PASSWORD, "de");
        assertThat(status.onStatusPage()).as(status.page()).isTrue();
    }

    @Test
    @DisplayName("given a realm with a branded child theme that knows nothing of the extension, then the pages render "
            + "inside it, and a text the theme overrides wins")
    void brandedChildTheme() {
        DemoRealm realm = realm("theme-brand", "onboarding-test-brand");
        assertThat(refusedLogin(realm, "brand-hire", null).lastPage())
                .contains("Example Corp: this app is not open to you yet");
        HireBrowser status =
                HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "brand-hire", PASSWORD, null);
        assertThat(status.onStatusPage()).as(status.page()).isTrue();
    }

    @Test
    @DisplayName("given a realm admin who rewords a text through realm localization, then the page shows their words")
    void realmLocalizationOverrides() {
        DemoRealm realm = realm("theme-localized", null);
        realm.resource
                .localization()
                .saveRealmLocalizationText(
                        "en", "onboardingAccessNotYet", "{0} is for verified staff only. Ask your manager.");
        assertThat(refusedLogin(realm, "localized-hire", "en").lastPage())
                .contains("Source code hosting is for verified staff only. Ask your manager.");
    }
}
