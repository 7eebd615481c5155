/**
 * The event store: Axon Framework 4.13 on PostgreSQL through plain JDBC, without Spring.
 * <ul>
 *   <li>{@link io.zsentinel.deploy.store.OwnedDatabase} – a PostgreSQL the controller stops with itself: the
 *       app's embedded one (module app, {@code io.zsentinel.deploy.embedded}) for the lab, data kept in the
 *       lab directory across restarts;</li>
 *   <li>{@link io.zsentinel.deploy.store.DataSources} – HikariCP pools for an external PostgreSQL;</li>
 *   <li>{@link io.zsentinel.deploy.store.JdbcTransactions} – the transaction manager that is also the
 *       connection provider, so event append, token update and saga store share one transaction;</li>
 *   <li>{@link io.zsentinel.deploy.store.AxonStore} – idempotent schema creation and the Axon
 *       components (JDBC engine, token and saga stores, Jackson serializer), applied to a
 *       {@code Configurer} with the update checker off.</li>
 * </ul>
 */
package io.zsentinel.deploy.store;
