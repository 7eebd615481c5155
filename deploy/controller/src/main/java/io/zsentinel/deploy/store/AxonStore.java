package io.zsentinel.deploy.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.PostgresTokenTableFactory;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.updates.configuration.UsagePropertyProvider;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Axon 4.13 on PostgreSQL through plain JDBC, without Spring: schema, event storage engine, token
 * store, saga store, one Jackson serializer and the {@link JdbcTransactions} that ties them to one
 * connection per unit of work.
 * <pre>{@code
 * AxonStore store = AxonStore.create(dataSource);            // creates missing tables
 * Configuration c = store.configure(AxonStore.newConfigurer())
 *         .configureAggregate(MyAggregate.class)
 *         .buildConfiguration();
 * c.start(); ... c.shutdown();
 * }</pre>
 * Tables: {@code domain_event_entry}, {@code snapshot_event_entry}, {@code token_entry} (snake_case
 * columns, e.g. {@code aggregate_identifier}, {@code processor_name}), {@code saga_entry},
 * {@code association_value_entry}. Payloads are {@code bytea} ({@link PostgresEventTableFactory}) written as {@code byte[]}: the
 * generic/OID large-object path of Axon's JPA defaults is never used.
 */
public final class AxonStore {

    /*
     * Axon's JDBC defaults are "DomainEventEntry"/"TokenEntry" with camelCase columns, which PostgreSQL
     * folds to unreadable lower case. We use the snake_case names of Axon's JPA mapping instead.
     * (PostgresSagaSqlSchema hard-codes its column names, so only the saga table names change.)
     */
    static final EventSchema EVENT_SCHEMA = EventSchema.builder()
            .eventTable("domain_event_entry").snapshotTable("snapshot_event_entry")
            .globalIndexColumn("global_index").timestampColumn("time_stamp")
            .eventIdentifierColumn("event_identifier").aggregateIdentifierColumn("aggregate_identifier")
            .sequenceNumberColumn("sequence_number").typeColumn("type")
            .payloadTypeColumn("payload_type").payloadRevisionColumn("payload_revision")
            .payloadColumn("payload").metaDataColumn("meta_data")
            .build();
    static final TokenSchema TOKEN_SCHEMA = TokenSchema.builder()
            .setTokenTable("token_entry").setProcessorNameColumn("processor_name").setSegmentColumn("segment")
            .setTokenColumn("token").setTokenTypeColumn("token_type").setTimestampColumn("timestamp")
            .setOwnerColumn("owner")
            .build();
    static final SagaSchema SAGA_SCHEMA = SagaSchema.builder()
            .sagaEntryTable("saga_entry").associationValueEntryTable("association_value_entry")
            .build();
    /** Serializes concurrent schema creation by several controllers/tests on one database. */
    private static final String SCHEMA_LOCK = "select pg_advisory_xact_lock(hashtext('zsentinel.axon-schema'))";

    private final JdbcTransactions transactions;
    private final Serializer serializer;
    private final SnapshotSafeEngine storageEngine;
    private final JdbcTokenStore tokenStore;
    private final JdbcSagaStore sagaStore;
    /** The aggregates' snapshot filters (their {@code @Revision}s), known once a configuration is built. */
    private volatile SnapshotFilter snapshotFilter = SnapshotFilter.allowAll();

    private AxonStore(DataSource dataSource) {
        this.transactions = new JdbcTransactions(dataSource);
        this.serializer = serializer();
        this.storageEngine = new SnapshotSafeEngine(transactions, JdbcEventStorageEngine.builder()
                .snapshotFilter(data -> snapshotFilter.allow(data))
                .connectionProvider(transactions)
                .transactionManager(transactions)
                .schema(EVENT_SCHEMA)
                .dataType(byte[].class) // matches the bytea payload column
                .eventSerializer(serializer)
                .snapshotSerializer(serializer));
        this.tokenStore = JdbcTokenStore.builder()
                .connectionProvider(transactions)
                .schema(TOKEN_SCHEMA)
                .contentType(byte[].class)
                .serializer(serializer)
                .build();
        this.sagaStore = JdbcSagaStore.builder()
                .connectionProvider(transactions)
                .sqlSchema(new PostgresSagaSqlSchema(SAGA_SCHEMA))
                .serializer(serializer)
                .build();
    }

    /** Creates the missing tables, then the components. */
    public static AxonStore create(DataSource dataSource) {
        createSchema(dataSource);
        return new AxonStore(dataSource);
    }

    /**
     * Idempotent DDL: each Axon table is created only if absent (Axon's own {@code createSchema} fails
     * on an existing event or token table), in one transaction under an advisory lock.
     */
    public static void createSchema(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute(SCHEMA_LOCK);
                if (missing(c, EVENT_SCHEMA.domainEventTable())) {
                    run(PostgresEventTableFactory.INSTANCE.createDomainEventTable(c, EVENT_SCHEMA));
                }
                if (missing(c, EVENT_SCHEMA.snapshotTable())) {
                    run(PostgresEventTableFactory.INSTANCE.createSnapshotEventTable(c, EVENT_SCHEMA));
                }
                if (missing(c, TOKEN_SCHEMA.tokenTable())) {
                    run(PostgresTokenTableFactory.INSTANCE.createTable(c, TOKEN_SCHEMA));
                }
                PostgresSagaSqlSchema saga = new PostgresSagaSqlSchema(SAGA_SCHEMA); // "if not exists"
                run(saga.sql_createTableSagaEntry(c));
                run(saga.sql_createTableAssocValueEntry(c));
                // Saga lookup is by (type, key, value); Axon creates no index for it.
                String assoc = SAGA_SCHEMA.associationValueEntryTable();
                s.execute("create index if not exists " + assoc + "_lookup on " + assoc
                        + " (sagaType, associationKey, associationValue)");
                s.execute("create index if not exists " + assoc + "_saga on " + assoc + " (sagaId, sagaType)");
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the Axon schema", e);
        }
    }

    private static boolean missing(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select to_regclass(?)")) { // honours search_path
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getString(1) == null;
            }
        }
    }

    private static void run(PreparedStatement statement) throws SQLException {
        try (statement) {
            statement.executeUpdate();
        }
    }

    /** Jackson for events, messages, tokens and sagas: the same mapping as the Kafka envelope. */
    public static ObjectMapper objectMapper() {
        return Json.newMapper();
    }

    public static Serializer serializer() {
        return JacksonSerializer.builder().objectMapper(objectMapper()).build();
    }

    /**
     * {@code DefaultConfigurer.defaultConfiguration(false)}: no ServiceLoader configurer modules, and
     * the only one in Axon 4.13's jars is the {@code UpdateCheckerConfigurerModule} that calls
     * AxonIQ at start-up.
     */
    public static Configurer newConfigurer() {
        return DefaultConfigurer.defaultConfiguration(false);
    }

    /**
     * Applies the store to {@code configurer}: serializers, transaction manager, embedded event store
     * on the JDBC engine, JDBC token and saga stores, propagating error handlers (a failing handler
     * rolls its batch back and is retried instead of being logged and skipped), and a disabled
     * update checker even if the configurer was made with {@code defaultConfiguration()}.
     */
    public Configurer configure(Configurer configurer) {
        return configurer
                .registerComponent(UsagePropertyProvider.class, c -> UpdateCheckerOff.INSTANCE)
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureTransactionManager(c -> transactions)
                .configureEmbeddedEventStore(c -> {
                    snapshotFilter = c.snapshotFilter();
                    return storageEngine;
                })
                .registerComponent(TokenStore.class, c -> tokenStore)
                .registerComponent(SagaStore.class, c -> sagaStore)
                .eventProcessing(ep -> ep
                        .registerTokenStore(c -> tokenStore)
                        .registerSagaStore(c -> sagaStore)
                        .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance())
                        .registerDefaultErrorHandler(c -> PropagatingErrorHandler.instance()));
    }

    public JdbcTransactions transactions() {
        return transactions;
    }

    public JdbcEventStorageEngine storageEngine() {
        return storageEngine;
    }

    /**
     * Runs {@code work} on this thread knowing, from one query, which of {@code ids} have no event stored: loading
     * one of those (once) reads nothing instead of asking the store for its snapshot and its events, two round trips
     * for every aggregate a batch creates. Wrong only if another thread creates one of them meanwhile; then the
     * append collides with the other's first event (unique aggregate id and sequence number) and the transaction
     * fails rather than storing a second history. Call it inside the transaction that will append.
     */
    public void withAbsentKnown(Collection<String> ids, Runnable work) {
        SnapshotSafeEngine engine = storageEngine;
        engine.assumeAbsent(ids);
        try {
            work.run();
        } finally {
            engine.forgetAbsent();
        }
    }

    /**
     * Reads a snapshot's payload while Axon can still fall back: Axon deserializes lazily, after its
     * "cannot read the snapshot, replay the whole stream" guard, so a snapshot it cannot read would
     * fail every command to its aggregate instead. Deserialized here, a failure is logged by Axon and
     * the aggregate is rebuilt from its events. The replacement snapshot, taken at the same sequence
     * number when no event came since, replaces the skipped one instead of colliding with it.
     */
    static final class SnapshotSafeEngine extends JdbcEventStorageEngine {
        private final JdbcTransactions transactions;

        SnapshotSafeEngine(JdbcTransactions transactions, JdbcEventStorageEngine.Builder builder) {
            super(builder);
            this.transactions = transactions;
        }

        /** Aggregates this thread found without any event (one query for many) and has not loaded since. */
        private final ThreadLocal<Set<String>> absent = new ThreadLocal<>();

        void assumeAbsent(Collection<String> ids) {
            if (ids.isEmpty()) {
                return;
            }
            Set<String> none = new HashSet<>(ids);
            try (Connection c = transactions.getConnection();
                 PreparedStatement known = c.prepareStatement("select distinct " + EVENT_SCHEMA.aggregateIdentifierColumn()
                         + " from " + EVENT_SCHEMA.domainEventTable() + " where "
                         + EVENT_SCHEMA.aggregateIdentifierColumn() + " = any(?)")) {
                known.setArray(1, c.createArrayOf("varchar", ids.toArray()));
                try (ResultSet rs = known.executeQuery()) {
                    while (rs.next()) {
                        none.remove(rs.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot look up which of " + ids.size() + " aggregates have events", e);
            }
            absent.set(none);
        }

        void forgetAbsent() {
            absent.remove();
        }

        private boolean isAbsent(String aggregateIdentifier) {
            Set<String> none = absent.get();
            return none != null && none.contains(aggregateIdentifier);
        }

        @Override
        public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
            Set<String> none = absent.get();
            if (none != null && none.remove(aggregateIdentifier)) { // once: whatever comes next is read
                return DomainEventStream.empty();
            }
            return super.readEvents(aggregateIdentifier, firstSequenceNumber);
        }

        @Override
        public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
            if (isAbsent(aggregateIdentifier)) {
                return Optional.empty();
            }
            Optional<DomainEventMessage<?>> snapshot = super.readSnapshot(aggregateIdentifier);
            snapshot.ifPresent(DomainEventMessage::getPayload);
            return snapshot;
        }

        @Override
        protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
            try (Connection c = transactions.getConnection();
                 PreparedStatement delete = c.prepareStatement("delete from " + EVENT_SCHEMA.snapshotTable()
                         + " where " + EVENT_SCHEMA.aggregateIdentifierColumn() + " = ? and "
                         + EVENT_SCHEMA.sequenceNumberColumn() + " = ?")) {
                delete.setString(1, snapshot.getAggregateIdentifier());
                delete.setLong(2, snapshot.getSequenceNumber());
                delete.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot replace the snapshot of " + snapshot.getAggregateIdentifier()
                        + " at sequence " + snapshot.getSequenceNumber(), e);
            }
            super.storeSnapshot(snapshot, serializer);
        }
    }

    /** Replaces Axon's usage-property chain: the update checker, if registered at all, stays off. */
    enum UpdateCheckerOff implements UsagePropertyProvider {
        INSTANCE;

        @Override
        public Boolean getDisabled() {
            return Boolean.TRUE;
        }

        @Override
        public String getUrl() {
            return null;
        }

        @Override
        public int priority() {
            return Integer.MAX_VALUE;
        }
    }
}
