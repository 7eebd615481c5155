package io.zsentinel.core.messages.agentcommands;

import io.zsentinel.core.values.SnapshotName;

/** An agent command about one snapshot (and so about one dataset, to which its outcome is reported). */
public interface SnapshotCommand extends AgentCommand {
    SnapshotName snapshot();
}
