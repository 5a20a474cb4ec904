package io.github.onboardingguard.testsupport;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A browser's cookie store for one host. Java's CookieManager refuses Keycloak's {@code Secure}
 * cookies over plain HTTP, which real browsers accept on localhost; this jar keeps them.
 */
final class CookieJar {

    private final Map<String, String> cookies = new LinkedHashMap<>();

    HttpRequest.Builder addTo(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
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
            String name = attributes[0].substring(0, eq).trim();
            String value = attributes[0].substring(eq + 1).trim();
            if (value.isEmpty() || isExpired(attributes)) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }

    private static boolean isExpired(String[] attributes) {
        for (String attribute : attributes) {
            String a = attribute.trim().toLowerCase(java.util.Locale.ROOT);
            if (a.equals("max-age=0") || a.startsWith("expires=thu, 01 jan 1970") || a.startsWith("expires=thu, 01-jan-1970")) {
                return true;
            }
        }
        return false;
    }
}
