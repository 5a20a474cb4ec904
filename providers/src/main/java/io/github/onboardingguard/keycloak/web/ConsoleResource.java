package io.github.onboardingguard.keycloak.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.keycloak.common.Version;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The onboarding console: a static page from the JAR that signs in through the realm's public
 * {@code onboarding-console} client (authorization code + PKCE) and calls the APIs next to it.
 * Only the listed files are served, with a strict content security policy.
 */
public final class ConsoleResource {

    private static final String ROOT = "onboarding-console/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "messages-en.json", "application/json; charset=utf-8",
            "messages-de.json", "application/json; charset=utf-8",
            // The charting library, bundled at build time (pom.xml: bundle-chart-library).
            "uPlot.iife.min.js", "text/javascript; charset=utf-8",
            "uPlot.min.css", "text/css; charset=utf-8");
    private static final String BUNDLED = "uplot/";
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final KeycloakSession session;
    private final RealmModel realm;

    ConsoleResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** Without the trailing slash the page's relative links would resolve one level too high. */
    @GET
    public Response index() {
        if (!session.getContext().getUri().getRequestUri().getPath().endsWith("/")) {
            URI withSlash = session.getContext()
                    .getUri()
                    .getBaseUriBuilder()
                    .path("realms")
                    .path(realm.getName())
                    .path("onboarding")
                    .path("console")
                    .path("/")
                    .build();
            return Response.status(Response.Status.FOUND).location(withSlash).build();
        }
        return file("index.html");
    }

    /** Keycloak's bundled PatternFly 5, served by the server itself: same origin, so the policy above allows it. */
    private String patternflyPath() {
        String base = session.getContext().getUri().getBaseUri().getPath();
        return (base.endsWith("/") ? base : base + "/") + "resources/" + Version.RESOURCES_VERSION
                + "/common/keycloak/vendor/patternfly-v5/patternfly.min.css";
    }

    @GET
    @Path("{file}")
    public Response file(@PathParam("file") String file) {
        String type = FILES.get(file);
        InputStream content = type == null
                ? null
                : getClass()
                        .getClassLoader()
                        .getResourceAsStream(ROOT + (file.startsWith("uPlot.") ? BUNDLED : "") + file);
        if (content == null) {
            return Response.status(Response.Status.NOT_FOUND)
                    .type("text/plain")
                    .entity("Not found")
                    .build();
        }
        try (content) {
            // Keycloak would replace this policy with the realm's login-page one, which allows more.
            session.getProvider(SecurityHeadersProvider.class).options().skipHeaders();
            CacheControl noStore = new CacheControl();
            noStore.setNoStore(true);
            byte[] body = content.readAllBytes();
            if ("index.html".equals(file)) {
                body = new String(body, StandardCharsets.UTF_8)
                        .replace("{{patternfly}}", patternflyPath())
                        .getBytes(StandardCharsets.UTF_8);
            }
            return Response.ok(body, type)
                    .cacheControl(noStore)
                    .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("Console file " + file + " is packaged in the JAR", e);
        }
    }
}
