package io.github.onboardingguard.keycloak.web;

import io.github.onboardingguard.audit.AuditChain;
import io.github.onboardingguard.keycloak.audit.ActorNames;
import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditEntryEntity;
import io.github.onboardingguard.keycloak.audit.AuditExport;
import io.github.onboardingguard.keycloak.audit.AuditStore;
import io.github.onboardingguard.keycloak.audit.AuditVerifier;
import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.support.QueryParams;
import io.github.onboardingguard.keycloak.support.StoredJson;
import io.github.onboardingguard.keycloak.support.Users;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * {@code /realms/{realm}/onboarding/audit}: read-only access to the audit trail for users with the
 * auditor role (checked before this resource is reached). There is nothing here that writes.
 */
public final class AuditResource {

    private static final int MAX_PAGE = 500;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AuditStore store;

    public AuditResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = new AuditStore(session);
    }

    @GET
    @Path("entries")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> entries(
            @QueryParam("subject") String subject,
            @QueryParam("actor") String actor,
            @QueryParam("type") String type,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        AuditStore.Filter filter = filter(subject, actor, type, from, to);
        long cursor = cursor(after);
        int max = QueryParams.integer("limit", limit, 100, 1, MAX_PAGE);
        List<AuditEntryEntity> page = store.page(realm.getId(), filter, cursor, max);
        Map<String, Object> view = new LinkedHashMap<>();
        ActorNames names = new ActorNames(session, realm);
        view.put("items", page.stream().map(entry -> entryView(entry, names)).toList());
        view.put(
                "next",
                page.size() == max ? Long.toString(page.get(page.size() - 1).getSeq()) : null);
        return view;
    }

    /** Everything about one hire in one document. */
    @GET
    @Path("dossier/{user}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> dossier(@PathParam("user") String userRef) {
        UserModel user = Users.byIdOrUsername(session, realm, userRef);
        // One answer for "no such user" and "a user without a case": the dossier reveals nothing else.
        OnboardingCaseEntity onboardingCase = user == null
                ? null
                : new CaseLookup(session, realm).fromDatabase(user).orElse(null);
        if (onboardingCase == null) {
            throw ApiError.notFound("No onboarding case of '" + QueryParams.abbreviate(userRef) + "' in this realm");
        }
        return new Dossier(session, realm).of(user, onboardingCase);
    }

    @GET
    @Path("export")
    public Response export(
            @QueryParam("format") String format,
            @QueryParam("subject") String subject,
            @QueryParam("actor") String actor,
            @QueryParam("type") String type,
            @QueryParam("from") String from,
            @QueryParam("to") String to) {
        AuditExport.Format chosen = format == null
                ? AuditExport.Format.JSONL
                : QueryParams.enumValue("format", format, AuditExport.Format.class);
        AuditStore.Filter filter = filter(subject, actor, type, from, to);
        String realmId = realm.getId();
        String realmName = realm.getName();
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        // Written after this method returns, from a session of its own, one page at a time.
        StreamingOutput body = output -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            try {
                KeycloakModelUtils.runJobInTransaction(
                        factory,
                        exportSession ->
                                new AuditExport(exportSession, realmId, realmName).write(chosen, filter, writer));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            writer.flush();
        };
        return Response.ok(body, chosen.mediaType())
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"onboarding-audit-" + realmName + "." + chosen.extension() + "\"")
                .build();
    }

    /** Verify walks the chain by position, unlike the time filters of entries and export; the error says so. */
    private static Long sequenceNumber(String name, String raw) {
        if (raw == null) {
            return null;
        }
        if (!raw.trim().matches("\\d{1,10}")) {
            throw ApiError.badRequest(
                    name,
                    "'" + name + "' of verify is a sequence number such as 1; "
                            + "entries and export take ISO-8601 instants instead");
        }
        return (long) QueryParams.integer(name, raw, 1, 1, Integer.MAX_VALUE);
    }

    @GET
    @Path("verify")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> verify(@QueryParam("from") String from, @QueryParam("to") String to) {
        Long fromSeq = sequenceNumber("from", from);
        Long toSeq = sequenceNumber("to", to);
        if (fromSeq != null && toSeq != null && toSeq < fromSeq) {
            throw ApiError.badRequest("to", "'to' must not be before 'from'");
        }
        String realmId = realm.getId();
        long started = System.nanoTime();
        // A session of its own, so the walk can forget each page it has checked.
        AuditChain.Verification result = KeycloakModelUtils.runJobInTransactionWithResult(
                session.getKeycloakSessionFactory(),
                verifySession -> new AuditVerifier(verifySession).verify(realmId, fromSeq, toSeq));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("valid", result.valid());
        view.put("checked", result.checked());
        view.put("firstSeq", result.checked() == 0 ? null : result.firstSeq());
        view.put("lastSeq", result.checked() == 0 ? null : result.lastSeq());
        view.put(
                "firstBreak",
                result.firstBreak()
                        .map(broken -> {
                            Map<String, Object> link = new LinkedHashMap<>();
                            link.put("seq", broken.seq());
                            link.put("problem", broken.problem().name());
                            link.put("expected", broken.expected());
                            link.put("found", broken.found());
                            return link;
                        })
                        .orElse(null));
        // The head the writers keep: a SIEM stores it and later checks that the chain still reaches it.
        view.put(
                "head",
                new AuditStore(session).head(realmId).map(AuditExport::headView).orElse(null));
        view.put("millis", (System.nanoTime() - started) / 1_000_000);
        return view;
    }

    /** An entry as the auditor API shows it; {@code actorName} is for reading, {@code actor} is what the hash covers. */
    static Map<String, Object> entryView(AuditEntryEntity entry, ActorNames names) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("seq", entry.getSeq());
        view.put("at", Instants.iso(entry.getAt()));
        view.put("actor", entry.getActor());
        view.put("actorName", names.of(entry.getActor()));
        view.put("subject", entry.getSubject());
        view.put("type", entry.getType());
        view.put("details", StoredJson.parse(entry.getDetails()));
        view.put("prevHash", entry.getPrevHash());
        view.put("hash", entry.getHash());
        return view;
    }

    private AuditStore.Filter filter(String subject, String actor, String type, String from, String to) {
        String subjectId = null;
        if (subject != null) {
            UserModel user = Users.byIdOrUsername(session, realm, subject);
            // A user who is gone is still found by their id (a deleted hire's trail); a name matching
            // nobody matches nothing, so the page is no user-existence oracle.
            subjectId = user != null ? user.getId() : subject.length() <= 255 ? subject : "-";
        }
        String actorId = null;
        if (actor != null) {
            UserModel user = Actors.isSystem(actor) ? null : Users.byIdOrUsername(session, realm, actor);
            actorId = user != null ? user.getId() : actor.length() <= 255 ? actor : "-";
        }
        if (type != null && (type.isBlank() || type.length() > 64)) {
            throw ApiError.badRequest(
                    "type", "'type' must be an entry type such as case.stage_changed, or a prefix ending in '*'");
        }
        return new AuditStore.Filter(subjectId, actorId, type, instant("from", from), instant("to", to));
    }

    private static Long instant(String name, String raw) {
        if (raw == null) {
            return null;
        }
        return Instants.parse(raw)
                .map(Instant::toEpochMilli)
                .orElseThrow(() -> ApiError.badRequest(
                        name,
                        "'" + name
                                + "' must be an ISO-8601 instant between 1970 and 9999 such as 2026-11-27T00:00:00Z"));
    }

    private static long cursor(String after) {
        if (after == null) {
            return 0;
        }
        try {
            long value = Long.parseLong(after.trim());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("after", "'after' must be the 'next' cursor of a previous page");
        }
    }
}
