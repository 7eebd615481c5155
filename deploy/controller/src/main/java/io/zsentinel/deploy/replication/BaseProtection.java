package io.zsentinel.deploy.replication;

import io.zsentinel.replication.api.ProtectSnapshot;
import io.zsentinel.replication.api.ProtectionKind;
import io.zsentinel.replication.api.ReleaseProtection;
import io.zsentinel.replication.api.link.BaseChanged;
import io.zsentinel.replication.api.link.LinkRetired;
import org.axonframework.common.AxonTransientException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A link's new common base is protected on the source dataset; the Dataset releases the link's previous base
 * in the same step (a link holds one base), so there is no moment in which the link has no protected base, and
 * a new base that cannot be protected (gone from the source) leaves the previous one held. Each link is its own
 * holder, so links to different targets never release each other's base.
 * <p>
 * Events come in batches of {@link #BATCH_SIZE} (one token update per batch; almost every event is none of this
 * handler's business). The commands of a batch commit with its token, so a batch that fails is undone whole and
 * handed over again: nothing is protected twice. A batch holds the datasets it commanded until it commits, so it
 * can meet a lane's batch locking them in the opposite order: Axon's lock factory then fails one side with a
 * {@link org.axonframework.common.lock.DeadlockException}. That failure (as any lock that cannot be had) is not a
 * refusal: it fails the batch, which is retried, instead of leaving the new base unprotected.
 */
@DisallowReplay
public final class BaseProtection {
    public static final String PROCESSOR = "replication-base-protection";
    /** Events per batch of the processor. */
    public static final int BATCH_SIZE = 100;
    private static final Logger log = LoggerFactory.getLogger(BaseProtection.class);

    private final CommandGateway commands;

    public BaseProtection(CommandGateway commands) {
        this.commands = commands;
    }

    /** The processor for {@link #PROCESSOR}: one thread, batches of {@link #BATCH_SIZE} events. */
    public static TrackingEventProcessorConfiguration processorConfiguration() {
        return TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(BATCH_SIZE);
    }

    @EventHandler
    public void on(BaseChanged e) {
        try {
            commands.sendAndWait(new ProtectSnapshot(e.source(), e.newBase().guid(), e.holder(), ProtectionKind.BASE));
        } catch (AxonTransientException notNow) {
            throw notNow; // a lock not had (deadlock, timeout): the batch is undone and retried
        } catch (RuntimeException refused) {
            // The source no longer has it (destroyed meanwhile): the previous base stays held; the link re-plans.
            log.warn("could not protect base {} of link {}: {}; its previous base stays protected", e.newBase().name(),
                    e.linkId(), refused.getMessage());
        }
    }

    /** A link taken out of the configuration releases its base (and its hold), nothing else's. */
    @EventHandler
    public void on(LinkRetired e) {
        if (e.releasedBase() != null) {
            commands.sendAndWait(new ReleaseProtection(e.source(), e.releasedBase(), e.holder()));
            log.info("link {} is no longer configured: its base (guid {}) on {} is released", e.linkId(),
                    e.releasedBase(), e.source());
        }
    }
}
