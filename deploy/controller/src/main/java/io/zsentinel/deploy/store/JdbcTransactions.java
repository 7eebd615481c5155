package io.zsentinel.deploy.store;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.ConnectionWrapperFactory;
import org.axonframework.common.jdbc.ConnectionWrapperFactory.ConnectionCloseHandler;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Plain-JDBC {@link TransactionManager} that is also the {@link ConnectionProvider} of the event
 * storage engine, token store and saga store (Axon 4 ships one only for Spring).
 * <p>
 * Why one class: Axon's JDBC components fetch a connection per statement and close it afterwards.
 * For the event append, the token update and a failing handler of one unit of work to commit or roll
 * back together, they must all see the very connection the transaction will commit. So
 * {@link #startTransaction()} binds one connection (autocommit off) to the current thread and
 * {@link #getConnection()} hands out that connection, shielded so Axon's {@code close()} (and stray
 * {@code commit()}) calls are ignored. Without a bound transaction it hands out a plain autocommit
 * connection from the pool.
 * <p>
 * Nested {@code startTransaction()} calls (Axon's engine wraps its own statements in
 * {@code executeInTransaction}) join the outer transaction: their commit and rollback do nothing;
 * the outer one decides. A swallowed SQL error inside still cannot commit half the work, because
 * PostgreSQL aborts the whole transaction after any error and refuses the final COMMIT.
 * <p>
 * A transaction must end on the thread that started it (true for Axon's units of work).
 */
public final class JdbcTransactions implements TransactionManager, ConnectionProvider {

    private final DataSource dataSource;
    private final ThreadLocal<Bound> bound = new ThreadLocal<>();

    public JdbcTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Transaction startTransaction() {
        Bound outer = bound.get();
        if (outer != null) {
            return JOINED;
        }
        try {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            Bound tx = new Bound(connection);
            bound.set(tx);
            return tx;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot start a JDBC transaction", e);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Bound tx = bound.get();
        return tx != null ? tx.shielded : dataSource.getConnection();
    }

    /** True while the current thread has a transaction bound (for tests and diagnostics). */
    public boolean inTransaction() {
        return bound.get() != null;
    }

    /** A joined (nested) transaction: the outer transaction commits or rolls back. */
    private static final Transaction JOINED = new Transaction() {
        @Override
        public void commit() {
        }

        @Override
        public void rollback() {
        }
    };

    private final class Bound implements Transaction {
        private final Connection connection;
        private final Connection shielded;
        private boolean done;

        Bound(Connection connection) {
            this.connection = connection;
            this.shielded = ConnectionWrapperFactory.wrap(connection, new ConnectionCloseHandler() {
                @Override
                public void close(Connection c) { // Axon closes after each statement: keep it open
                }

                @Override
                public void commit(Connection c) { // only this transaction's commit() commits
                }
            });
        }

        @Override
        public void commit() {
            end(true);
        }

        @Override
        public void rollback() {
            end(false); // Axon may call rollback after a failed commit: then it is a no-op
        }

        private void end(boolean commit) {
            if (done) {
                return;
            }
            done = true;
            try {
                if (commit) {
                    connection.commit();
                } else {
                    connection.rollback();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("JDBC " + (commit ? "commit" : "rollback") + " failed", e);
            } finally {
                if (bound.get() == this) {
                    bound.remove();
                }
                try {
                    connection.setAutoCommit(true); // the pool hands it out in autocommit mode
                } catch (SQLException ignored) {
                    // a broken connection: closing it below discards it
                } finally {
                    closeQuietly(connection);
                }
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to do with a connection that cannot even close
        }
    }
}
