package io.github.onboardingguard.keycloak.audit;

import io.github.onboardingguard.audit.AuditChain;
import io.github.onboardingguard.audit.AuditRecord;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JsonSerialization;

/**
 * Walks a realm's chain (or a range of it) page by page and reports the first broken link. A walk
 * that reaches the end also compares the last entry with the head row the writers keep: entries
 * removed from the end of the chain (or all of them) leave the head pointing past what is there.
 */
public final class AuditVerifier {

    static final int PAGE = 1000;

    private final KeycloakSession session;
    private final AuditStore store;

    public AuditVerifier(KeycloakSession session) {
        this.session = session;
        this.store = new AuditStore(session);
    }

    /** @param from first sequence number to check, or null for the start of the chain; @param to last, or null */
    public AuditChain.Verification verify(String realmId, Long from, Long to) {
        Optional<Long> first = store.firstSeq(realmId);
        Optional<AuditHeadEntity> head = store.head(realmId);
        if (first.isEmpty()) {
            if (head.isPresent() && head.get().getLastSeq() > 0 && from == null) {
                return new AuditChain.Verification(
                        0,
                        0,
                        0,
                        Optional.of(new AuditChain.Break(
                                head.get().getLastSeq(),
                                AuditChain.Problem.TRUNCATED,
                                "entries through seq " + head.get().getLastSeq(),
                                "no entries")));
            }
            return new AuditChain.Verification(0, 0, 0, Optional.empty());
        }
        long start = from == null ? first.get() : Math.max(from, first.get());
        Optional<String> anchor = anchorFor(realmId, start);
        if (anchor.isEmpty()) {
            // The entries before the first one are gone and no pruning checkpoint accounts for them.
            return new AuditChain.Verification(
                    0,
                    start,
                    start,
                    Optional.of(new AuditChain.Break(
                            start - 1,
                            AuditChain.Problem.GAP,
                            "seq " + (start - 1) + " or a pruning checkpoint",
                            "nothing")));
        }
        AuditChain.Verification walked = AuditChain.verify(new Pages(realmId, start, to), start, anchor.get());
        if (!walked.valid() || head.isEmpty() || to != null && to < head.get().getLastSeq()) {
            return walked;
        }
        return endMatchesHead(realmId, walked, head.get());
    }

    private AuditChain.Verification endMatchesHead(
            String realmId, AuditChain.Verification walked, AuditHeadEntity head) {
        long end = walked.lastSeq();
        if (end < head.getLastSeq()) {
            return new AuditChain.Verification(
                    walked.checked(),
                    walked.firstSeq(),
                    end,
                    Optional.of(new AuditChain.Break(
                            end + 1,
                            AuditChain.Problem.TRUNCATED,
                            "seq " + (end + 1) + " (the head is at seq " + head.getLastSeq() + ")",
                            "nothing")));
        }
        String lastHash =
                store.bySeq(realmId, end).map(AuditEntryEntity::getHash).orElse(null);
        if (end == head.getLastSeq() && !head.getLastHash().equals(lastHash)) {
            return new AuditChain.Verification(
                    walked.checked(),
                    walked.firstSeq(),
                    end,
                    Optional.of(new AuditChain.Break(
                            end,
                            AuditChain.Problem.PREVIOUS_HASH_MISMATCH,
                            "the head's hash " + head.getLastHash(),
                            String.valueOf(lastHash))));
        }
        return walked;
    }

    /** What the entry at {@code seq} must point at: genesis, its predecessor, or a pruning checkpoint. */
    private Optional<String> anchorFor(String realmId, long seq) {
        if (seq == 1) {
            return Optional.of(AuditChain.GENESIS);
        }
        Optional<AuditEntryEntity> previous = store.bySeq(realmId, seq - 1);
        if (previous.isPresent()) {
            return Optional.of(previous.get().getHash());
        }
        for (AuditEntryEntity checkpoint : store.checkpoints(realmId)) {
            Map<String, Object> details = parse(checkpoint.getDetails());
            Object through = details.get(AuditRetention.PRUNED_THROUGH);
            if (through instanceof Number number && number.longValue() == seq - 1) {
                return Optional.ofNullable((String) details.get(AuditRetention.LAST_PRUNED_HASH));
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        try {
            return JsonSerialization.readValue(json, Map.class);
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** Reads the chain in sequence ranges of {@link #PAGE} and forgets each range once walked. */
    private final class Pages implements Iterator<AuditRecord> {
        private final String realmId;
        private final long last;
        private long nextFrom;
        private Iterator<AuditEntryEntity> current = List.<AuditEntryEntity>of().iterator();

        Pages(String realmId, long start, Long to) {
            this.realmId = realmId;
            this.nextFrom = start;
            long head = store.lastSeq(realmId).orElse(0L);
            this.last = to == null ? head : Math.min(to, head);
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && nextFrom <= last) {
                store.forget();
                long upTo = Math.min(last, nextFrom + PAGE - 1);
                current = store.range(realmId, AuditStore.Filter.ALL, nextFrom, upTo)
                        .iterator();
                nextFrom = upTo + 1;
            }
            return current.hasNext();
        }

        @Override
        public AuditRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next().toRecord();
        }
    }
}
