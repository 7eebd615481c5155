package io.zsentinel.deploy.lease;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The cell's controller lease: one row per cell in the event store's PostgreSQL, {@code (cell, holder, epoch,
 * renewed_at, expires_at)}. Whoever holds a live row is the active controller; a lapsed row is taken by a
 * compare-and-set that raises the epoch, so two controllers never hold one epoch and a later holder always has a
 * higher one. Every time is the database's {@code now()}: the controllers' clocks play no part in who holds it.
 */
public final class ControllerLease {
    static final String TABLE = "zsentinel_controller_lease";

    private final DataSource dataSource;
    private final String cell;
    private final Duration ttl;

    /** {@code cell}: whose controllers compete ("" for the default cell); {@code ttl}: how long a renewal holds. */
    public ControllerLease(DataSource dataSource, String cell, Duration ttl) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.cell = Objects.requireNonNull(cell, "cell");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a lease needs a positive time to live, not " + ttl);
        }
        this.ttl = ttl;
    }

    /** Who holds the lease of a cell now, at which epoch, until when (database time). */
    public record Holder(String holder, long epoch, Instant expiresAt, boolean live) {
    }

    /** Creates the table when it is missing (idempotent; two controllers starting at once both pass). */
    public ControllerLease createTable() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (cell text PRIMARY KEY, holder text NOT NULL,"
                    + " epoch bigint NOT NULL, renewed_at timestamptz NOT NULL, expires_at timestamptz NOT NULL)");
        } catch (SQLException e) {
            // a concurrent CREATE TABLE IF NOT EXISTS can still collide on the type's name: the table is there then
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                throw new LeaseUnavailable("cannot create the lease table " + TABLE + ": " + e.getMessage(), e);
            }
        }
        return this;
    }

    /**
     * Takes the lease for {@code holder} when nobody holds it or its holder's lapsed: the new epoch, or empty while
     * a live holder has it. One statement, so of two controllers trying at once exactly one gets it.
     */
    public Optional<Long> tryAcquire(String holder) {
        String sql = "INSERT INTO " + TABLE + " AS l (cell, holder, epoch, renewed_at, expires_at)"
                + " VALUES (?, ?, 1, now(), now() + ? * interval '1 millisecond')"
                + " ON CONFLICT (cell) DO UPDATE SET holder = EXCLUDED.holder, epoch = l.epoch + 1,"
                + " renewed_at = now(), expires_at = EXCLUDED.expires_at"
                + " WHERE l.expires_at <= now() RETURNING l.epoch";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            c.setAutoCommit(true);
            s.setString(1, cell);
            s.setString(2, holder);
            s.setLong(3, ttl.toMillis());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LeaseUnavailable("cannot take the controller lease of cell '" + cell + "': " + e.getMessage(), e);
        }
    }

    /**
     * Extends {@code holder}'s lease at {@code epoch} by the ttl from now: true when it still held it (live, same
     * holder and epoch), false when it lapsed or another controller took it.
     */
    public boolean renew(String holder, long epoch) {
        return update("renew", "UPDATE " + TABLE + " SET renewed_at = now(),"
                + " expires_at = now() + ? * interval '1 millisecond'"
                + " WHERE cell = ? AND holder = ? AND epoch = ? AND expires_at > now()",
                ttl.toMillis(), cell, holder, epoch) == 1;
    }

    /** Gives the lease up at once (a clean stop), so the standby need not wait for it to lapse. */
    public void release(String holder, long epoch) {
        update("release", "UPDATE " + TABLE + " SET expires_at = now() WHERE cell = ? AND holder = ? AND epoch = ?"
                + " AND expires_at > now()", cell, holder, epoch);
    }

    /** Runs one UPDATE (autocommit) with {@code params}; the rows it changed. */
    private int update(String what, String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            c.setAutoCommit(true);
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new LeaseUnavailable("cannot " + what + " the controller lease of cell '" + cell + "': "
                    + e.getMessage(), e);
        }
    }

    /** The row as it stands, empty when no controller ever held this cell's lease. */
    public Optional<Holder> current() {
        String sql = "SELECT holder, epoch, expires_at, expires_at > now() FROM " + TABLE + " WHERE cell = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, cell);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Holder(r.getString(1), r.getLong(2),
                        r.getTimestamp(3).toInstant(), r.getBoolean(4))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LeaseUnavailable("cannot read the controller lease of cell '" + cell + "': " + e.getMessage(), e);
        }
    }

    public String cell() {
        return cell;
    }

    public Duration ttl() {
        return ttl;
    }

    /** The store could not be asked: nothing is known about the lease. */
    public static final class LeaseUnavailable extends RuntimeException {
        LeaseUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
