package io.github.onboardingguard.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Plain HTTP calls to the test server's REST endpoints, with an optional bearer token. */
public final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Api() {}

    public record Reply(int status, String body, HttpResponse<String> raw) {
        public Map<String, Object> json() {
            try {
                return JSON.readValue(body, new TypeReference<>() {});
            } catch (IOException e) {
                throw new AssertionError("Expected a JSON object (HTTP " + status + ") but got: " + body, e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /** @param path below the server root, e.g. {@code /admin/realms/x/onboarding/cases} */
    public static Reply call(String method, String path, String token, String jsonBody) {
        return send(method, path, token, jsonBody, "application/json");
    }

    /** A body of another type, e.g. a CSV file. */
    public static Reply post(String path, String token, String body, String contentType) {
        return send("POST", path, token, body, contentType);
    }

    private static Reply send(String method, String path, String token, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(KeycloakTestServer.baseUrl() + path))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", contentType);
            request.method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Reply get(String path, String token) {
        return call("GET", path, token, null);
    }

    public static Reply post(String path, String token, String jsonBody) {
        return call("POST", path, token, jsonBody);
    }

    /** A JSON object received other than as an HTTP reply, e.g. a webhook's body. */
    public static Map<String, Object> parse(String json) {
        return new Reply(200, json, null).json();
    }

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
