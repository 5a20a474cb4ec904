package io.github.onboardingguard.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The test's own connections to the cluster's PostgreSQL. A row lock held in an open transaction
 * stops any node that writes that row in the middle of its transaction, with nothing in the server
 * made for tests, so the node can be killed right there. Closing rolls back, letting go of the lock.
 */
final class ClusterDatabase implements AutoCloseable {

    /**
     * A server connection waiting for a lock: the node's address, the statement that waits and
     * whether the test's own lock is what it waits for (rather than another waiting node's).
     */
    record Waiting(String clientAddress, String query, boolean behindTestLock) {}

    private final Connection holder;
    private final int holderPid;
    /** Autocommit: PostgreSQL keeps one statistics snapshot per transaction, so a poll in the holder's would never change. */
    private final Connection observer;

    private ClusterDatabase(Connection holder, Connection observer) throws SQLException {
        this.holder = holder;
        this.observer = observer;
        try (PreparedStatement pid = holder.prepareStatement("select pg_backend_pid()");
                ResultSet row = pid.executeQuery()) {
            row.next();
            this.holderPid = row.getInt(1);
        }
    }

    static ClusterDatabase connect(String jdbcUrl, String user, String password) throws SQLException {
        Connection holder = DriverManager.getConnection(jdbcUrl, user, password);
        holder.setAutoCommit(false);
        return new ClusterDatabase(holder, DriverManager.getConnection(jdbcUrl, user, password));
    }

    /** Until {@link #close()}: a transaction that updates this case waits. */
    void lockCase(String caseId) throws SQLException {
        try (PreparedStatement lock = holder.prepareStatement("select ID from OG_CASE where ID = ? for update")) {
            lock.setString(1, caseId);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    throw new AssertionError("no case " + caseId + " in the cluster's database");
                }
            }
        }
    }

    /** Polls until the connections waiting for a lock satisfy {@code until}. */
    List<Waiting> awaitWaiting(Predicate<List<Waiting>> until, Duration timeout)
            throws SQLException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        List<Waiting> now = waiting();
        while (!until.test(now)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("gave up after " + timeout + "; connections waiting for a lock: " + now);
            }
            Thread.sleep(100);
            now = waiting();
        }
        return now;
    }

    private List<Waiting> waiting() throws SQLException {
        List<Waiting> waiting = new ArrayList<>();
        try (PreparedStatement query = observer.prepareStatement("select host(client_addr), query,"
                + " ? = any(pg_blocking_pids(pid)) from pg_stat_activity"
                + " where datname = current_database() and wait_event_type = 'Lock'")) {
            query.setInt(1, holderPid);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    waiting.add(new Waiting(rows.getString(1), rows.getString(2), rows.getBoolean(3)));
                }
            }
        }
        return waiting;
    }

    @Override
    public void close() throws SQLException {
        try (holder;
                observer) {
            holder.rollback();
        }
    }
}
