package io.github.onboardingguard.keycloak.audit;

import io.github.onboardingguard.keycloak.support.ServerOptions;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Copies every committed audit entry, as the export's JSON line, to a log category of its own, for
 * SIEMs that collect Keycloak's logs. Off unless the operator turns it on ({@link ServerOptions#auditLogStream}); the database stays the
 * record, the stream is a copy that a log pipeline may lose.
 */
public final class AuditLogStream {

    /** The log category; route it with {@code --log-level} or a handler of its own. */
    public static final String CATEGORY = "io.github.onboardingguard.audit";

    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private AuditLogStream() {}

    /** Called after commit only, so an entry that was rolled back never reaches the stream. */
    static void publish(List<String> lines) {
        for (String line : lines) {
            LOG.info(line);
        }
    }
}
