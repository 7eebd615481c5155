package io.zsentinel.core.messages;

import io.zsentinel.core.messages.agentcommands.DestroySnapshot;
import io.zsentinel.core.messages.agentcommands.HoldSnapshot;
import io.zsentinel.core.messages.agentcommands.ForgetLink;
import io.zsentinel.core.messages.agentcommands.RejoinDataset;
import io.zsentinel.core.messages.agentcommands.ReleaseRescue;
import io.zsentinel.core.messages.agentcommands.ReleaseHold;
import io.zsentinel.core.messages.agentcommands.RestoreFromSnapshot;
import io.zsentinel.core.messages.agentcommands.RollbackDataset;
import io.zsentinel.core.messages.agentcommands.PromoteDataset;
import io.zsentinel.core.messages.agentcommands.DemoteDataset;
import io.zsentinel.core.messages.agentcommands.StartTransfer;
import io.zsentinel.core.messages.agentcommands.TakeSnapshot;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.messages.facts.CommandCompleted;
import io.zsentinel.core.messages.facts.CommandRejected;
import io.zsentinel.core.messages.facts.PoolHealthReported;
import io.zsentinel.core.messages.facts.PrimaryStoodDown;
import io.zsentinel.core.messages.facts.SnapshotCreated;
import io.zsentinel.core.messages.facts.SnapshotDestroyed;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.messages.facts.TransferCompleted;
import io.zsentinel.core.messages.facts.TransferFailed;
import io.zsentinel.core.messages.facts.TransferProgressed;

/** The agent facts and agent commands this build speaks, with their schema versions. */
public final class CoreMessages {
    private CoreMessages() {
    }

    public static MessageTypes types() {
        return new MessageTypes()
                .register(AgentHeartbeat.class, 1)
                .register(SnapshotInventoryReported.class, 1)
                .register(SnapshotCreated.class, 1)
                .register(SnapshotDestroyed.class, 1)
                .register(PoolHealthReported.class, 1)
                .register(CommandRejected.class, 1)
                .register(TakeSnapshot.class, 1)
                .register(DestroySnapshot.class, 1)
                .register(RollbackDataset.class, 1)
                .register(PromoteDataset.class, 1)
                .register(DemoteDataset.class, 1)
                .register(RestoreFromSnapshot.class, 1)
                .register(HoldSnapshot.class, 1)
                .register(ReleaseHold.class, 1)
                .register(ForgetLink.class, 1)
                .register(RejoinDataset.class, 1)
                .register(ReleaseRescue.class, 1)
                .register(CommandCompleted.class, 1)
                .register(StartTransfer.class, 1)
                .register(TransferProgressed.class, 1)
                .register(TransferCompleted.class, 1)
                .register(TransferFailed.class, 1)
                .register(PrimaryStoodDown.class, 1);
    }
}
