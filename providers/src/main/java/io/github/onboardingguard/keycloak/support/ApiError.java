package io.github.onboardingguard.keycloak.support;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An API error with the stable JSON shape {@code {"error": code, "message": text, "field": path}}.
 * Thrown before anything is written, so a refused request changes nothing.
 */
public final class ApiError extends WebApplicationException {

    private ApiError(Response.Status status, String code, String message, String field) {
        this(status.getStatusCode(), code, message, field, Map.of());
    }

    private ApiError(int status, String code, String message, String field, Map<String, Object> extra) {
        super(
                message,
                Response.status(status)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(body(code, message, field, extra))
                        .build());
    }

    private ApiError(Response response, String message) {
        super(message, response);
    }

    /** With a response header the client acts on, e.g. {@code WWW-Authenticate} asking for a new sign-in. */
    public static ApiError withHeader(
            int status, String code, String message, Map<String, Object> extra, String header, String value) {
        return new ApiError(
                Response.status(status)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .header(header, value)
                        .entity(body(code, message, null, extra))
                        .build(),
                message);
    }

    /** Any status with its own code and extra fields, e.g. the attempts left after a wrong code. */
    public static ApiError of(int status, String code, String message, Map<String, Object> extra) {
        return new ApiError(status, code, message, null, extra);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(Response.Status.UNAUTHORIZED, "unauthorized", message, null);
    }

    public static ApiError forbidden(String code, String message) {
        return new ApiError(Response.Status.FORBIDDEN, code, message, null);
    }

    public static ApiError badRequest(String field, String message) {
        return new ApiError(Response.Status.BAD_REQUEST, "invalid_request", message, field);
    }

    public static ApiError notFound(String message) {
        return new ApiError(Response.Status.NOT_FOUND, "not_found", message, null);
    }

    public static ApiError conflict(String code, String message) {
        return new ApiError(Response.Status.CONFLICT, code, message, null);
    }

    /** A refusal about one field of the request, e.g. a grant the caller may not make. */
    public static ApiError forbiddenField(String field, String message) {
        return new ApiError(Response.Status.FORBIDDEN, "forbidden", message, field);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(Response.Status.FORBIDDEN, "forbidden", message, null);
    }

    private static Map<String, Object> body(String code, String message, String field, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        body.putAll(extra);
        return body;
    }
}
