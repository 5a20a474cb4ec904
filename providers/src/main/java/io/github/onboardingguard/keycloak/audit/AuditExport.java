package io.github.onboardingguard.keycloak.audit;

import io.github.onboardingguard.audit.CanonicalJson;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;

/** Writes the audit trail as JSON Lines or CSV, one page at a time, in constant memory. */
public final class AuditExport {

    public enum Format {
        JSONL("application/x-ndjson", "jsonl"),
        CSV("text/csv", "csv");

        private final String mediaType;
        private final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        public MediaType mediaType() {
            return MediaType.valueOf(mediaType + "; charset=utf-8");
        }

        public String extension() {
            return extension;
        }
    }

    static final String CSV_HEADER = "realm,seq,at,actor,subject,type,details,prev_hash,hash";

    private final AuditStore store;
    private final String realmId;
    private final String realmName;

    public AuditExport(KeycloakSession session, String realmId, String realmName) {
        this.store = new AuditStore(session);
        this.realmId = realmId;
        this.realmName = realmName;
    }

    public void write(Format format, AuditStore.Filter filter, Writer out) {
        try {
            if (format == Format.CSV) {
                out.write(CSV_HEADER);
                out.write("\r\n");
            }
            Optional<AuditHeadEntity> head = store.head(realmId);
            long last = store.lastSeq(realmId).orElse(0L);
            for (long from = store.firstSeq(realmId).orElse(1L); from <= last; from += AuditVerifier.PAGE) {
                for (AuditEntryEntity entry :
                        store.range(realmId, filter, from, Math.min(last, from + AuditVerifier.PAGE - 1))) {
                    out.write(format == Format.CSV ? csv(entry) : jsonLine(entry, realmName) + "\n");
                }
                out.flush();
                store.forget();
            }
            if (format == Format.JSONL && head.isPresent()) {
                // Last line: the head when the export began, so the receiver can tell a cut-off file.
                out.write(CanonicalJson.write(Map.of("realm", realmName, "head", headView(head.get()))) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One entry as the JSON Lines export and the log stream carry it, without the line break. */
    static String jsonLine(AuditEntryEntity entry, String realmName) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("realm", realmName);
        line.put("seq", entry.getSeq());
        line.put("at", Instant.ofEpochMilli(entry.getAt()).toString());
        line.put("actor", entry.getActor());
        line.put("subject", entry.getSubject());
        line.put("type", entry.getType());
        line.put("details", entry.getDetails());
        line.put("prevHash", entry.getPrevHash());
        line.put("hash", entry.getHash());
        // What the hash covers, exactly: the realm's id (not its name, which can change), the time in
        // epoch milliseconds, and details as the stored text.
        line.put("realmId", entry.getRealmId());
        line.put("atMillis", entry.getAt());
        return CanonicalJson.write(line);
    }

    /** The head as verify and the export report it. */
    public static Map<String, Object> headView(AuditHeadEntity head) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("seq", head.getLastSeq());
        view.put("hash", head.getLastHash());
        return view;
    }

    private String csv(AuditEntryEntity entry) {
        return String.join(
                        ",",
                        cell(realmName),
                        Long.toString(entry.getSeq()),
                        Instant.ofEpochMilli(entry.getAt()).toString(),
                        cell(entry.getActor()),
                        cell(entry.getSubject()),
                        cell(entry.getType()),
                        cell(entry.getDetails()),
                        entry.getPrevHash(),
                        entry.getHash())
                + "\r\n";
    }

    /** RFC 4180 quoting; a leading formula character is neutralised for spreadsheet users. */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
