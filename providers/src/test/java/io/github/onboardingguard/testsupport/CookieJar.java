package io.github.onboardingguard.testsupport;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A browser's cookie store for one host. Java's CookieManager refuses Keycloak's {@code Secure}
 * cookies over plain HTTP, which real browsers accept on localhost; this jar keeps them. Cookies
 * are kept per path, as a browser does: two realms of one server both set {@code AUTH_SESSION_ID},
 * each for its own {@code /realms/<name>/} path.
 */
final class CookieJar {

    private record Key(String path, String name) {}

    private final Map<Key, String> cookies = new LinkedHashMap<>();

    /** The request must be built to read its path: the builder is returned with the matching cookies. */
    HttpRequest.Builder addTo(HttpRequest.Builder request) {
        String path = request.copy().build().uri().getPath();
        String header = cookies.entrySet().stream()
                .filter(e -> pathMatches(e.getKey().path(), path == null || path.isEmpty() ? "/" : path))
                .map(e -> e.getKey().name() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
        if (!header.isEmpty()) {
            request.header("Cookie", header);
        }
        return request;
    }

    void storeFrom(HttpResponse<?> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String[] attributes = header.split(";");
            int eq = attributes[0].indexOf('=');
            if (eq <= 0) {
                continue;
            }
            Key key = new Key(pathOf(attributes), attributes[0].substring(0, eq).trim());
            String value = attributes[0].substring(eq + 1).trim();
            if (value.isEmpty() || isExpired(attributes)) {
                cookies.remove(key);
            } else {
                cookies.put(key, value);
            }
        }
    }

    private static String pathOf(String[] attributes) {
        for (String attribute : attributes) {
            String a = attribute.trim();
            if (a.regionMatches(true, 0, "path=", 0, 5)) {
                return a.substring(5).trim();
            }
        }
        return "/";
    }

    /** RFC 6265 path-match: the cookie's path is the request path or a directory prefix of it. */
    private static boolean pathMatches(String cookiePath, String requestPath) {
        return requestPath.equals(cookiePath)
                || (requestPath.startsWith(cookiePath)
                        && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/'));
    }

    private static boolean isExpired(String[] attributes) {
        for (String attribute : attributes) {
            String a = attribute.trim().toLowerCase(java.util.Locale.ROOT);
            if (a.equals("max-age=0")
                    || a.startsWith("expires=thu, 01 jan 1970")
                    || a.startsWith("expires=thu, 01-jan-1970")) {
                return true;
            }
        }
        return false;
    }
}
