/**
 * Retention as pure functions for the Dataset aggregate: plain Java and java.time, no Axon, Kafka,
 * processes or I/O (checked by {@code RetentionLayeringTest}).
 * <p>
 * Decisions:
 * <ul>
 * <li>One snapshot per class per slot: when classes share an instant (midnight of 1 January is yearly,
 *     monthly, daily, and maybe weekly) each gets its own snapshot, told apart by the class in the name.
 *     Simple, sanoid's behaviour, and counts stay independent. Blocks are shared, so the cost is small.</li>
 * <li>Slots are laid out on the zone's wall clock and held as instants. A wall-clock time in a
 *     spring-forward gap maps to the first instant after the gap; daily and coarser slots take the first
 *     of a repeated (fall-back) time, so there is one per day; hourly and frequent slots follow elapsed time.</li>
 * <li>Only the current slot is ever due: a controller back from downtime takes one catch-up snapshot per
 *     class, and a slot at or before the last one taken is never due again (clock stepped back).</li>
 * <li>Weekly, monthly and yearly snapshots are taken at {@code dailyAt} on their day.</li>
 * <li>Order and age come from createtxg; the name's slot serves only to schedule. A name that does not
 *     parse exactly (see {@link io.zsentinel.replication.retention.SnapshotNaming}) counts as foreign.</li>
 * <li>Count expiry and capacity pruning both pass through {@link io.zsentinel.replication.retention.Protection}:
 *     never the newest snapshot of the dataset, never a protected guid.</li>
 * <li>Snapshots expired by count but newer than a replication link's base are held for its target, within
 *     a bound ({@link io.zsentinel.replication.retention.HeldForReplicas}): past {@code maxHeldForReplicas}
 *     (or {@code maxHeldForReplicasDays}) the oldest go anyway; the target skips them and its next transfer
 *     starts from its base, which is never pruned.</li>
 * </ul>
 */
package io.zsentinel.replication.retention;
