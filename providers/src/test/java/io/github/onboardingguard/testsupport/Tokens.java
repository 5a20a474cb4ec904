package io.github.onboardingguard.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Obtains tokens from the test server the way real clients do: password grant, browser login, refresh. */
public final class Tokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOGIN_FORM =
            Pattern.compile("<form[^>]*\\bid=\"kc-form-login\"[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ACTION_ATTRIBUTE = Pattern.compile("\\baction=\"([^\"]*)\"");
    public static final String TEST_REDIRECT_URI = "http://localhost/callback";

    private Tokens() {}

    /** Token endpoint answer: HTTP status plus the parsed JSON body. */
    public record TokenResponse(int status, Map<String, Object> body) {
        public String accessToken() {
            return (String) body.get("access_token");
        }

        public String refreshToken() {
            return (String) body.get("refresh_token");
        }

        public String error() {
            return (String) body.get("error");
        }

        public Map<String, Object> accessTokenClaims() {
            return decodeJwtPayload(accessToken());
        }
    }

    /** Outcome of a browser-style login: either a token response or the HTML page Keycloak showed instead. */
    public record BrowserLogin(Optional<TokenResponse> tokens, int lastStatus, String lastPage) {
        public TokenResponse tokensOrFail() {
            return tokens.orElseThrow(() -> new AssertionError(
                    "Login did not end at the redirect URI; last page (HTTP " + lastStatus + "):\n" + lastPage));
        }
    }

    public static TokenResponse passwordGrant(
            String realm, String clientId, String clientSecret, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        if (clientSecret != null) {
            form.put("client_secret", clientSecret);
        }
        form.put("username", username);
        form.put("password", password);
        form.put("scope", "openid");
        return postToTokenEndpoint(realm, form);
    }

    /** A confidential client's own token (client credentials grant), as an HR system's sync job takes it. */
    public static TokenResponse clientCredentials(String realm, String clientId, String clientSecret) {
        return postToTokenEndpoint(
                realm,
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret));
    }

    /** Standard token exchange (RFC 8693) of an access token by a confidential client. */
    public static TokenResponse exchange(String realm, String clientId, String clientSecret, String subjectToken) {
        return exchangeForAudience(realm, clientId, clientSecret, subjectToken, null);
    }

    /**
     * Token exchange by {@code clientId} of a token it holds, for another client's audience (RFC 8693
     * {@code audience}, none for the client itself), as a back end calling a downstream service would.
     */
    public static TokenResponse exchangeForAudience(
            String realm, String clientId, String clientSecret, String subjectToken, String audience) {
        Map<String, String> form = exchangeForm(clientId, clientSecret);
        form.put("subject_token", subjectToken);
        form.put("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
        form.put("requested_token_type", "urn:ietf:params:oauth:token-type:access_token");
        if (audience != null) {
            form.put("audience", audience);
        }
        return postToTokenEndpoint(realm, form);
    }

    /**
     * Legacy external-to-internal exchange (preview feature {@code token-exchange}): a token signed by
     * the identity provider {@code subjectIssuer} exchanged for one of this realm.
     */
    public static TokenResponse exchangeExternal(
            String realm, String clientId, String clientSecret, String externalToken, String subjectIssuer) {
        Map<String, String> form = exchangeForm(clientId, clientSecret);
        form.put("subject_token", externalToken);
        form.put("subject_issuer", subjectIssuer);
        form.put("subject_token_type", "urn:ietf:params:oauth:token-type:jwt");
        return postToTokenEndpoint(realm, form);
    }

    /** Legacy direct impersonation (preview feature {@code token-exchange}): no subject token, a user named instead. */
    public static TokenResponse impersonate(
            String realm, String clientId, String clientSecret, String requestedSubject) {
        Map<String, String> form = exchangeForm(clientId, clientSecret);
        form.put("requested_subject", requestedSubject);
        return postToTokenEndpoint(realm, form);
    }

    private static Map<String, String> exchangeForm(String clientId, String clientSecret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        return form;
    }

    /** The JWT authorization grant (RFC 7523): a token of a trusted issuer bought for {@code clientId}. */
    public static TokenResponse jwtAuthorizationGrant(
            String realm, String clientId, String clientSecret, String assertion) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("assertion", assertion);
        form.put("scope", "openid");
        return postToTokenEndpoint(realm, form);
    }

    /**
     * UMA grant (Authorization Services): asks for a requesting party token for {@code audience},
     * authenticated with the user's access token as bearer, as a public or single-page client would.
     */
    public static TokenResponse umaTicket(String realm, String bearerToken, String audience) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:uma-ticket");
        form.put("audience", audience);
        return postToTokenEndpoint(realm, form, Map.of("Authorization", "Bearer " + bearerToken));
    }

    public static TokenResponse refresh(String realm, String clientId, String clientSecret, String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", clientId);
        if (clientSecret != null) {
            form.put("client_secret", clientSecret);
        }
        form.put("refresh_token", refreshToken);
        return postToTokenEndpoint(realm, form);
    }

    /** Browser login to a client that allows {@value #TEST_REDIRECT_URI}, as the test clients do. */
    public static BrowserLogin browserLogin(
            String realm, String clientId, String clientSecret, String username, String password) {
        return browserLogin(realm, clientId, clientSecret, TEST_REDIRECT_URI, username, password);
    }

    /**
     * Logs in through the browser flow as a person would (login form, cookies, redirects) using the
     * authorization code flow with PKCE, and exchanges the code.
     */
    public static BrowserLogin browserLogin(
            String realm, String clientId, String clientSecret, String redirectUri, String username, String password) {
        return browserLogin(realm, clientId, clientSecret, redirectUri, username, password, null);
    }

    /**
     * @param uiLocale language for Keycloak's pages (ui_locales), or null for the realm default.
     * A hire's onboarding status page is passed with "Continue", as the hire would.
     */
    public static BrowserLogin browserLogin(
            String realm,
            String clientId,
            String clientSecret,
            String redirectUri,
            String username,
            String password,
            String uiLocale) {
        HireBrowser browser = HireBrowser.login(realm, clientId, redirectUri, username, password, uiLocale);
        browser.continuePastStatusPage();
        return browser.authorizationCode()
                .map(code -> new BrowserLogin(
                        Optional.of(
                                exchangeCode(realm, clientId, clientSecret, redirectUri, code, browser.codeVerifier())),
                        browser.status(),
                        ""))
                .orElseGet(() -> new BrowserLogin(Optional.empty(), browser.status(), browser.page()));
    }

    static TokenResponse exchangeCode(
            String realm, String clientId, String clientSecret, String redirectUri, String code, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", clientId);
        if (clientSecret != null) {
            form.put("client_secret", clientSecret);
        }
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", verifier);
        return postToTokenEndpoint(realm, form);
    }

    public static Map<String, Object> decodeJwtPayload(String jwt) {
        if (jwt == null) {
            throw new AssertionError("No token to decode");
        }
        String[] parts = jwt.split("\\.");
        byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
        return readJson(new String(payload, StandardCharsets.UTF_8));
    }

    public static String realmUrl(String realm) {
        return KeycloakTestServer.baseUrl() + "/realms/" + realm;
    }

    /** Where a real browser starts a code-flow login at {@code clientId} (PKCE; the code is not exchanged). */
    public static String authorizationUrl(
            String realm, String clientId, String redirectUri, Map<String, String> extra) {
        Map<String, String> query = new java.util.LinkedHashMap<>(Map.of(
                "client_id",
                clientId,
                "redirect_uri",
                redirectUri,
                "response_type",
                "code",
                "scope",
                "openid",
                "state",
                randomUrlSafe(8),
                "code_challenge",
                s256(randomUrlSafe(32)),
                "code_challenge_method",
                "S256"));
        query.putAll(extra);
        return realmUrl(realm) + "/protocol/openid-connect/auth?" + formEncode(query);
    }

    /** A token request with extra headers, e.g. the address and country a proxy reports for the caller. */
    public static TokenResponse tokenRequest(String realm, Map<String, String> form, Map<String, String> headers) {
        return postToTokenEndpoint(realm, form, headers);
    }

    private static TokenResponse postToTokenEndpoint(String realm, Map<String, String> form) {
        return postToTokenEndpoint(realm, form, Map.of());
    }

    private static TokenResponse postToTokenEndpoint(
            String realm, Map<String, String> form, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create(realmUrl(realm) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)));
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        HttpResponse<String> response = send(HttpClient.newHttpClient(), request);
        // Some authenticators answer the token endpoint with an HTML error page.
        boolean json = response.headers().firstValue("Content-Type").orElse("").contains("json");
        return new TokenResponse(
                response.statusCode(), json ? readJson(response.body()) : Map.of("html", response.body()));
    }

    static Optional<String> formAction(String html) {
        Matcher form = LOGIN_FORM.matcher(html);
        if (!form.find()) {
            return Optional.empty();
        }
        Matcher action = ACTION_ATTRIBUTE.matcher(form.group());
        return action.find() ? Optional.of(action.group(1).replace("&amp;", "&")) : Optional.empty();
    }

    static Optional<String> queryParameter(String url, String name) {
        return parameter(URI.create(url).getRawQuery(), name);
    }

    /** A parameter of the address's fragment, where implicit and hybrid responses put their tokens. */
    static Optional<String> fragmentParameter(String url, String name) {
        return parameter(URI.create(url).getRawFragment(), name);
    }

    private static Optional<String> parameter(String query, String name) {
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return Optional.of(java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    static HttpResponse<String> send(HttpClient client, CookieJar cookies, HttpRequest.Builder request) {
        HttpResponse<String> response = send(client, cookies.addTo(request).build());
        cookies.storeFrom(response);
        return response;
    }

    static String resolve(String base, String location) {
        return URI.create(base).resolve(location).toString();
    }

    static boolean isRedirect(int status) {
        return status == 302 || status == 303 || status == 307;
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> readJson(String body) {
        try {
            return JSON.readValue(body, new TypeReference<>() {});
        } catch (IOException e) {
            throw new AssertionError("Expected JSON but got: " + body, e);
        }
    }

    static String formEncode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static String randomUrlSafe(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
