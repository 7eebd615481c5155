/**
 * What the controller's tickers decide, as pure rules: which commands the replication ticker sends each link
 * ({@link io.zsentinel.replication.schedule.LinkSchedule}), the retention ticker each dataset
 * ({@link io.zsentinel.replication.schedule.RetentionSchedule}), and which snapshots capacity pruning offers
 * ({@link io.zsentinel.replication.schedule.CapacitySchedule}). They read the inventory, the agents' reports,
 * pool usage and the configuration through the small ports declared here, which deploy/controller implements
 * over its views; time is passed in. No Axon, Kafka, threads or clock reads (checked by {@code LayeringTest}):
 * the controller's schedulers only tick, read the clock, and send what these return.
 */
package io.zsentinel.replication.schedule;
