package io.github.onboardingguard.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hire's browser at the HTTP level: logs in through the browser flow (cookies, PKCE) and stops
 * at whatever page Keycloak shows, e.g. the onboarding status page with the ceremony code.
 */
public final class HireBrowser {

    /** The demo clients' registered redirect; nothing listens there, the browser stops at the redirect. */
    public static final String CALLBACK = "http://localhost:3000/callback";

    private static final Pattern STATUS_FORM =
            Pattern.compile("<form[^>]*\\bid=\"onboarding-status-form\"[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern PASSKEY_FORM =
            Pattern.compile("<form[^>]*\\bid=\"onboarding-passkey-form\"[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern CODE =
            Pattern.compile("id=\"onboarding-code\"[^>]*>\\s*([0-9 ]+?)\\s*<", Pattern.DOTALL);
    private static final Pattern ACTION = Pattern.compile("\\baction=\"([^\"]*)\"");

    private final HttpClient client =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final CookieJar cookies = new CookieJar();
    private final String redirectUri;
    private final String codeVerifier = Tokens.randomUrlSafe(32);
    private String url;
    private int status;
    private String page = "";
    private String authorizationCode;
    private String redirectedTo;
    /** A part of an address this browser does not go on to, as a person who closes the tab there. */
    private String abandonAt;

    private HireBrowser(String redirectUri) {
        this.redirectUri = redirectUri;
    }

    public static HireBrowser login(
            String realm, String clientId, String redirectUri, String username, String password, String uiLocale) {
        return loginWith(
                realm,
                clientId,
                redirectUri,
                username,
                password,
                uiLocale == null ? Map.of() : Map.of("ui_locales", uiLocale));
    }

    /** A login whose authorization request carries {@code parameters} too, e.g. {@code claims}. */
    public static HireBrowser loginWith(
            String realm,
            String clientId,
            String redirectUri,
            String username,
            String password,
            Map<String, String> parameters) {
        return authorize(realm, clientId, redirectUri, parameters).signIn(username, password);
    }

    /**
     * Starts a login at {@code clientId} that goes straight to an identity provider
     * ({@code kc_idp_hint}) and signs in on that provider's login page.
     */
    public static HireBrowser loginThroughIdentityProvider(
            String realm, String clientId, String redirectUri, String idpAlias, String username, String password) {
        return authorize(realm, clientId, redirectUri, Map.of("kc_idp_hint", idpAlias))
                .signIn(username, password);
    }

    /** Opens Keycloak's registration page for {@code clientId}, as the "Register" link of its login page does. */
    public static HireBrowser startRegistration(String realm, String clientId, String redirectUri) {
        HireBrowser browser = new HireBrowser(redirectUri);
        browser.get(Tokens.realmUrl(realm) + "/protocol/openid-connect/registrations?"
                + Tokens.formEncode(browser.authorizationQuery(clientId, Map.of())));
        return browser;
    }

    /**
     * Like {@link #loginThroughIdentityProvider}, but the browser stops before any address containing
     * {@code abandonAt}, e.g. Keycloak's {@code after-first-broker-login}: the request that would
     * follow is never sent.
     */
    public static HireBrowser abandonIdentityProviderLogin(
            String realm,
            String clientId,
            String redirectUri,
            String idpAlias,
            String username,
            String password,
            String abandonAt) {
        HireBrowser browser = authorize(realm, clientId, redirectUri, Map.of("kc_idp_hint", idpAlias));
        browser.abandonAt = abandonAt;
        return browser.signIn(username, password);
    }

    /** Whether the browser stopped where it was told to abandon the login. */
    public boolean abandoned() {
        return abandonAt != null && redirectedTo != null && redirectedTo.contains(abandonAt);
    }

    /** A fresh browser that opens {@code address}, e.g. a SAML client's IdP-initiated login. */
    public static HireBrowser startAt(String address) {
        HireBrowser browser = new HireBrowser(CALLBACK);
        browser.get(address);
        return browser;
    }

    /** Opens the authorization endpoint (code flow with PKCE) and follows it to the first page. */
    private static HireBrowser authorize(String realm, String clientId, String redirectUri, Map<String, String> extra) {
        HireBrowser browser = new HireBrowser(redirectUri);
        browser.get(Tokens.realmUrl(realm) + "/protocol/openid-connect/auth?"
                + Tokens.formEncode(browser.authorizationQuery(clientId, extra)));
        return browser;
    }

    private Map<String, String> authorizationQuery(String clientId, Map<String, String> extra) {
        authorizationCode = null;
        redirectedTo = null;
        Map<String, String> query = new LinkedHashMap<>(Map.of(
                "client_id",
                clientId,
                "redirect_uri",
                redirectUri,
                "response_type",
                "code",
                "scope",
                "openid",
                "state",
                Tokens.randomUrlSafe(8),
                "code_challenge",
                Tokens.s256(codeVerifier),
                "code_challenge_method",
                "S256"));
        query.putAll(extra);
        // An empty value leaves the parameter out, e.g. PKCE for an implicit request.
        query.values().removeIf(String::isEmpty);
        return query;
    }

    /**
     * In this browser, with its session, starts a login at {@code clientId} that asks for an
     * application-initiated action ({@code kc_action}), e.g. {@code idp_link:partner}.
     */
    public HireBrowser requestAction(String realm, String clientId, String kcAction) {
        get(Tokens.realmUrl(realm) + "/protocol/openid-connect/auth?"
                + Tokens.formEncode(authorizationQuery(clientId, Map.of("kc_action", kcAction))));
        return this;
    }

    /** Submits the login form on the current page, if there is one: Keycloak's or an identity provider's. */
    public HireBrowser signIn(String username, String password) {
        Optional<String> loginAction = Tokens.formAction(page);
        if (status == 200 && loginAction.isPresent()) {
            post(loginAction.get(), Map.of("username", username, "password", password, "credentialId", ""));
            // Keycloak's blocking brute-force protector refuses a login while another login of the same
            // user is still completing; right after one (e.g. the token a test just took) the form comes
            // back. A person would submit it again.
            Optional<String> again = Tokens.formAction(page);
            if (status == 200 && again.isPresent()) {
                pause(Duration.ofMillis(300));
                post(again.get(), Map.of("username", username, "password", password, "credentialId", ""));
            }
        }
        return this;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean onStatusPage() {
        return STATUS_FORM.matcher(page).find();
    }

    /** The ceremony code shown on the status page, digits only. */
    public Optional<String> code() {
        Matcher matcher = CODE.matcher(page);
        return matcher.find() ? Optional.of(matcher.group(1).replace(" ", "")) : Optional.empty();
    }

    /** Presses a button of the status page: "continue", "refresh" or "passkey". */
    public HireBrowser press(String action) {
        Matcher form = ("passkey".equals(action) ? PASSKEY_FORM : STATUS_FORM).matcher(page);
        if (!form.find()) {
            throw new AssertionError("Not on the onboarding status page (HTTP " + status + "):\n" + page);
        }
        Matcher target = ACTION.matcher(form.group());
        if (!target.find()) {
            throw new AssertionError("Status form without action:\n" + form.group());
        }
        post(target.group(1).replace("&amp;", "&"), Map.of("action", action));
        return this;
    }

    /** Submits the first form of the page, for Keycloak pages whose form has no id (e.g. the link confirmation). */
    public HireBrowser submitFirstForm(Map<String, String> fields) {
        Matcher form = Pattern.compile("<form[^>]*>", Pattern.CASE_INSENSITIVE).matcher(page);
        Matcher target = form.find() ? ACTION.matcher(form.group()) : null;
        if (target == null || !target.find()) {
            throw new AssertionError("No form with an action (HTTP " + status + "):\n" + page);
        }
        post(target.group(1).replace("&amp;", "&"), fields);
        return this;
    }

    /** Submits any Keycloak form on the current page by its id, e.g. {@code kc-passwd-update-form}. */
    public HireBrowser submit(String formId, Map<String, String> fields) {
        Matcher form = Pattern.compile(
                        "<form[^>]*\\bid=\"" + Pattern.quote(formId) + "\"[^>]*>", Pattern.CASE_INSENSITIVE)
                .matcher(page);
        if (!form.find()) {
            throw new AssertionError("No form " + formId + " (HTTP " + status + "):\n" + page);
        }
        Matcher target = ACTION.matcher(form.group());
        if (!target.find()) {
            throw new AssertionError("Form without action:\n" + form.group());
        }
        post(target.group(1).replace("&amp;", "&"), fields);
        return this;
    }

    public String page() {
        return page;
    }

    public int status() {
        return status;
    }

    public Optional<String> authorizationCode() {
        return Optional.ofNullable(authorizationCode);
    }

    /** Whether the login ended with a redirect to the client (with a code, tokens or an error). */
    public boolean redirectedToClient() {
        return redirectedTo != null;
    }

    /** A parameter of the fragment of the redirect that ended the login (implicit and hybrid responses). */
    public Optional<String> fragmentParameter(String name) {
        return redirectedTo == null ? Optional.empty() : Tokens.fragmentParameter(redirectedTo, name);
    }

    /** Clicks the first link of the page whose address contains {@code hrefPart}, e.g. "Forgot password?". */
    public HireBrowser followLink(String hrefPart) {
        Matcher link = Pattern.compile("href=\"([^\"]*" + Pattern.quote(hrefPart) + "[^\"]*)\"")
                .matcher(page);
        if (!link.find()) {
            throw new AssertionError("No link containing " + hrefPart + " (HTTP " + status + "):\n" + page);
        }
        get(Tokens.resolve(url, link.group(1).replace("&amp;", "&")));
        return this;
    }

    /** Opens an address in this browser, with its cookies, e.g. a link from an email. */
    public HireBrowser open(String address) {
        get(address);
        return this;
    }

    /** Passes the onboarding status page with "Continue", as a hire would, if it is shown. */
    public HireBrowser continuePastStatusPage() {
        for (int pages = 0; pages < 3 && onStatusPage(); pages++) {
            press("continue");
        }
        return this;
    }

    /** Exchanges the authorization code this login ended with, as the client's back end would. */
    public Tokens.TokenResponse exchangeCode(String realm, String clientId, String clientSecret) {
        String code =
                authorizationCode().orElseThrow(() -> new AssertionError("The login ended without a code:\n" + page));
        return Tokens.exchangeCode(realm, clientId, clientSecret, redirectUri, code, codeVerifier);
    }

    String codeVerifier() {
        return codeVerifier;
    }

    private void get(String target) {
        follow(HttpRequest.newBuilder(URI.create(target)).GET(), target);
    }

    private void post(String target, Map<String, String> form) {
        String absolute = url == null ? target : Tokens.resolve(url, target);
        follow(
                HttpRequest.newBuilder(URI.create(absolute))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(Tokens.formEncode(form))),
                absolute);
    }

    /** Follows redirects inside Keycloak; stops at a page or at the client's redirect URI. */
    private void follow(HttpRequest.Builder request, String target) {
        HttpResponse<String> response = Tokens.send(client, cookies, request);
        url = target;
        for (int hops = 0; hops < 10 && Tokens.isRedirect(response.statusCode()); hops++) {
            String location = Tokens.resolve(
                    url, response.headers().firstValue("Location").orElseThrow());
            if (location.startsWith(redirectUri) || (abandonAt != null && location.contains(abandonAt))) {
                redirectedTo = location;
                // Implicit responses carry tokens in the fragment, errors carry no code.
                authorizationCode = Tokens.queryParameter(location, "code")
                        .or(() -> Tokens.fragmentParameter(location, "code"))
                        .orElse(null);
                status = response.statusCode();
                page = "";
                return;
            }
            url = location;
            response = Tokens.send(
                    client,
                    cookies,
                    HttpRequest.newBuilder(URI.create(location)).GET());
        }
        status = response.statusCode();
        page = response.body();
    }
}
