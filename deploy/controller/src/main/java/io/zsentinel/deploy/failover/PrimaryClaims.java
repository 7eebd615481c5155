package io.zsentinel.deploy.failover;

import io.zsentinel.core.messages.agentcommands.PromoteDataset;
import io.zsentinel.failover.service.ServiceCatalogue;
import io.zsentinel.failover.service.ServiceDefinition;
import io.zsentinel.projections.service.ServiceRow;
import io.zsentinel.replication.api.DatasetId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Marks a service's first primary's datasets as its primary at generation 1 ({@code zsentinel:role=primary},
 * {@code zsentinel:generation=1}, writable), once per dataset per controller run: an agent makes only datasets
 * carrying the primary role read-only when its lease runs out, so without the mark a partitioned primary would go
 * on taking writes while a failover promotes its standby. Only services still at generation 1 that never failed
 * over (a failover's promotions mark the new primary themselves), only datasets the inventory shows on the
 * primary. Safe to repeat: the agent answers an already-marked dataset without touching it, and refuses to promote
 * a copy that was demoted at generation 1 (its lease ran out) — only a newer generation makes it primary again.
 */
public final class PrimaryClaims {
    private static final Logger log = LoggerFactory.getLogger(PrimaryClaims.class);

    private final ServiceCatalogue services;
    private final Supplier<List<ServiceRow>> rows;
    private final Supplier<List<DatasetId>> datasets;
    private final Consumer<PromoteDataset> order;
    private final LongSupplier epoch;
    private final Set<DatasetId> claimed = new HashSet<>();

    public PrimaryClaims(ServiceCatalogue services, Supplier<List<ServiceRow>> rows, Supplier<List<DatasetId>> datasets,
                         Consumer<PromoteDataset> order, long epoch) {
        this(services, rows, datasets, order, () -> epoch);
    }

    /** {@code epoch}: the controller lease's, asked at each order (it throws while the lease is not held). */
    public PrimaryClaims(ServiceCatalogue services, Supplier<List<ServiceRow>> rows, Supplier<List<DatasetId>> datasets,
                         Consumer<PromoteDataset> order, LongSupplier epoch) {
        this.services = services;
        this.rows = rows;
        this.datasets = datasets;
        this.order = order;
        this.epoch = epoch;
    }

    /** Claims what is not claimed yet in this run; a send that fails is tried at the next call. */
    public synchronized void claim() {
        List<DatasetId> known = datasets.get();
        for (ServiceRow row : rows.get()) {
            ServiceDefinition service = services.named(row.service()).orElse(null);
            if (service == null || row.generation() != 1 || !ServiceRow.SERVING.equals(row.state())
                    || row.lastFailover() != null) {
                continue;
            }
            for (DatasetId id : known) {
                if (id.server().equals(row.primary()) && service.serves(id.dataset()) && !claimed.contains(id)) {
                    UUID commandId = UUID.nameUUIDFromBytes((row.service() + "|claim|" + id + "|1")
                            .getBytes(StandardCharsets.UTF_8));
                    try {
                        order.accept(new PromoteDataset(commandId, id.server(), epoch.getAsLong(), id.dataset(),
                                row.service().value(), 1, null));
                        claimed.add(id);
                        log.info("service {}: marked {} on {} as its primary at generation 1", row.service(),
                                id.dataset(), id.server());
                    } catch (RuntimeException e) {
                        log.warn("service {}: could not order the mark of {} on {} (tried again): {}", row.service(),
                                id.dataset(), id.server(), e.getMessage());
                    }
                }
            }
        }
    }
}
