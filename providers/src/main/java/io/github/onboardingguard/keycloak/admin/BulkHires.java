package io.github.onboardingguard.keycloak.admin;

import io.github.onboardingguard.bulk.CsvSheet;
import io.github.onboardingguard.bulk.HireSheet;
import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.support.ApiError;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;
import org.keycloak.util.JsonSerialization;

/**
 * Starting many hires from one CSV file. Each row runs in its own transaction through the same
 * code as the single-hire and adoption APIs, with the caller's own permissions, so a row is either
 * whole or not written at all, and a file can be sent again: a username that already has a case is
 * left as it is.
 */
final class BulkHires {

    static final int MAX_BYTES = 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(BulkHires.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminAuth caller;

    BulkHires(KeycloakSession session, RealmModel realm, AdminAuth caller) {
        this.session = session;
        this.realm = realm;
        this.caller = caller;
    }

    /** Reads at most {@link #MAX_BYTES} of the body: a larger one is refused before more of it is read. */
    Map<String, Object> run(InputStream body) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw ApiError.badRequest(null, "The body could not be read");
        }
        if (bytes.length > MAX_BYTES) {
            throw ApiError.of(
                    413,
                    "too_large",
                    "The file is larger than " + MAX_BYTES / 1024 + " KiB; split it into smaller files",
                    Map.of());
        }
        String csv = new String(bytes, StandardCharsets.UTF_8);
        if (csv.isBlank()) {
            throw ApiError.badRequest(null, "The body is empty; send a CSV file whose first line names the columns");
        }
        List<HireSheet.Row> rows;
        try {
            rows = HireSheet.read(CsvSheet.parse(csv, HireSheet.MAX_ROWS));
        } catch (CsvSheet.TooManyRowsException e) {
            throw ApiError.of(413, "too_many_rows", e.getMessage(), Map.of("maxRows", HireSheet.MAX_ROWS));
        } catch (CsvSheet.MalformedHeaderException | HireSheet.BadHeaderException e) {
            throw ApiError.badRequest("header", e.getMessage());
        }
        List<Map<String, Object>> results = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String result : List.of("created", "adopted", "unchanged", "refused")) {
            counts.put(result, 0);
        }
        for (HireSheet.Row row : rows) {
            Map<String, Object> result =
                    row.readable() ? runRow(row) : refused(row.code(), row.field(), row.problem(), 400);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("line", row.line());
            line.put("username", row.username());
            line.putAll(result);
            results.add(line);
            counts.merge((String) result.get("result"), 1, Integer::sum);
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("summary", counts);
        reply.put("rows", results);
        return reply;
    }

    private Map<String, Object> runRow(HireSheet.Row row) {
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(
                    session.getKeycloakSessionFactory(),
                    session.getContext(),
                    rowSession -> inRowTransaction(rowSession, row),
                    "onboarding bulk row");
        } catch (WebApplicationException e) {
            Response response = e.getResponse();
            if (response.getEntity() instanceof Map<?, ?> error) {
                return refused(
                        String.valueOf(error.get("error")),
                        column((String) error.get("field")),
                        String.valueOf(error.get("message")),
                        response.getStatus());
            }
            return refused("refused", null, e.getMessage(), response.getStatus());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Bulk start: line %d of a file for realm %s failed", row.line(), realm.getName());
            return refused("internal_error", null, "The row could not be written; nothing of it was kept", 500);
        }
    }

    private Map<String, Object> inRowTransaction(KeycloakSession rowSession, HireSheet.Row row) {
        RealmModel rowRealm = rowSession.realms().getRealm(realm.getId());
        RealmModel callerRealm = rowSession.realms().getRealm(caller.getRealm().getId());
        UserModel callerUser =
                rowSession.users().getUserById(callerRealm, caller.getUser().getId());
        AdminAuth rowCaller = new AdminAuth(
                callerRealm,
                caller.getToken(),
                callerUser,
                callerRealm.getClientById(caller.getClient().getId()));
        CasesAdminResource api = new CasesAdminResource(
                rowSession,
                rowRealm,
                AdminPermissions.evaluator(rowSession, rowRealm, rowCaller),
                new AdminEventBuilder(
                        rowRealm, rowCaller, rowSession, session.getContext().getConnection()));

        UserModel existing = rowSession.users().getUserByUsername(rowRealm, row.username());
        if (existing != null) {
            Optional<OnboardingCaseEntity> onboardingCase = new CaseLookup(rowSession, rowRealm).caseOf(existing);
            if (onboardingCase.isPresent()) {
                return outcome("unchanged", onboardingCase.get().getId());
            }
            if (row.hasGrants()) {
                throw ApiError.badRequest(
                        "realmRoles",
                        "'" + row.username() + "' already exists: adopting holds what the account has, so leave "
                                + "realmRoles, clientRoles and groups empty for existing users");
            }
            // By id: the username found this account; as a reference it could also be another user's id.
            Map<String, Object> adopt = new LinkedHashMap<>(row.adopt());
            adopt.put("user", existing.getId());
            return outcome("adopted", caseId(api.adopt(json(adopt))));
        }
        if ("PROBATION".equals(row.adopt().get("stage"))) {
            throw ApiError.badRequest(
                    "stage", "A new hire starts INVITED; PROBATION is only for adopting an existing user");
        }
        Map<String, Object> create = new LinkedHashMap<>(row.create());
        @SuppressWarnings("unchecked")
        Map<String, Object> invitation = new LinkedHashMap<>((Map<String, Object>) create.get("invitation"));
        if (!invitation.containsKey("send")) {
            // Unsaid: invite whoever can be invited.
            Map<String, String> smtp = rowRealm.getSmtpConfig();
            boolean mailServer = smtp != null
                    && smtp.get("host") != null
                    && !smtp.get("host").isBlank();
            invitation.put("send", mailServer && create.containsKey("email"));
        }
        create.put("invitation", invitation);
        return outcome("created", caseId(api.createHire(json(create))));
    }

    /** The file's column for a field of the API's JSON body, e.g. {@code grants.groups[0]}: {@code groups}. */
    static String column(String field) {
        if (field == null) {
            return null;
        }
        String name = field.startsWith("grants.") ? field.substring("grants.".length()) : field;
        int end = 0;
        while (end < name.length() && Character.isLetter(name.charAt(end))) {
            end++;
        }
        name = name.substring(0, end);
        return switch (name) {
            case "user" -> "username";
            case "invitation" -> "invite";
            default -> name;
        };
    }

    private static String caseId(Response response) {
        @SuppressWarnings("unchecked")
        Map<String, Object> view = (Map<String, Object>) response.getEntity();
        return (String) view.get("id");
    }

    private static Map<String, Object> outcome(String result, String caseId) {
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("result", result);
        outcome.put("caseId", caseId);
        return outcome;
    }

    private static Map<String, Object> refused(String code, String field, String message, int status) {
        Map<String, Object> refusal = new LinkedHashMap<>();
        refusal.put("result", "refused");
        refusal.put("status", status);
        refusal.put("error", code);
        if (field != null) {
            refusal.put("field", field);
        }
        refusal.put("message", message);
        return refusal;
    }

    private static String json(Map<String, Object> body) {
        try {
            return JsonSerialization.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
