package io.zsentinel.deploy.transfer;

import io.zsentinel.core.messages.facts.AgentFact;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** A transfer the executor accepted (or answered at once): its outcome fact, once there, and its counters. */
public final class TransferHandle {
    private final UUID transferId;
    private final TransferRun run;
    private final CompletableFuture<AgentFact> outcome = new CompletableFuture<>();
    private long lastReportedBytes;

    TransferHandle(UUID transferId, TransferRun run) {
        this.transferId = transferId;
        this.run = run;
    }

    static TransferHandle answered(UUID transferId, AgentFact fact) {
        TransferHandle handle = new TransferHandle(transferId, null);
        handle.outcome.complete(fact);
        return handle;
    }

    public UUID transferId() {
        return transferId;
    }

    /** Completes with TransferCompleted or TransferFailed. */
    public CompletableFuture<AgentFact> outcome() {
        return outcome;
    }

    public boolean finished() {
        return outcome.isDone();
    }

    public long bytes() {
        return run == null ? 0 : run.bytes();
    }

    /** StartTransfer received → {@code zfs send} process started. */
    public Optional<Duration> startLatency() {
        return run == null ? Optional.empty() : run.startLatency();
    }

    TransferRun run() {
        return run;
    }

    /** How the bytes moved (or move): "send → pv → receive", "send → receive" or "Java pump"; empty if refused. */
    public String how() {
        return run == null ? "" : run.shape();
    }

    void complete(AgentFact fact) {
        outcome.complete(fact);
    }

    /** Bytes since the previous call (the progress report's interval rate). */
    synchronized long bytesSinceLastReport() {
        long now = bytes();
        long delta = now - lastReportedBytes;
        lastReportedBytes = now;
        return delta;
    }
}
