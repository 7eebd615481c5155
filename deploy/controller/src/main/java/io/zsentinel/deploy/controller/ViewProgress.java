package io.zsentinel.deploy.controller;

import io.zsentinel.projections.web.HealthCheck;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the views behind REST have applied every event the store holds: each view's position (that of the
 * processor its processing group is assigned to) against the store's head at the time of asking. The views live
 * in memory and are rebuilt at every start, so until they reach the head REST shows old data.
 */
final class ViewProgress {
    private static final Logger log = LoggerFactory.getLogger(ViewProgress.class);
    private final Configuration axon;
    private final List<String> processingGroups;
    /** The store's head when the views started: rebuilt once they reached it. */
    private final long headAtStart;
    private volatile boolean rebuilt;

    /** Make it when the views start (their rebuild is measured from the store's head then). */
    ViewProgress(Configuration axon, List<String> processingGroups) {
        this.axon = axon;
        this.processingGroups = List.copyOf(processingGroups);
        this.headAtStart = headNow(axon);
    }

    /** -1 (nothing to wait for) when the store cannot say: then {@link #check()} reports why. */
    private static long headNow(Configuration axon) {
        try {
            return position(axon.eventStore().createHeadToken());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * Whether every view has applied what the store held when they started, i.e. they are rebuilt: once true, true
     * for good (later events keep them a moment behind the head, which says nothing about the rebuild).
     */
    boolean rebuilt() {
        if (!rebuilt) {
            rebuilt = processingGroups.stream().allMatch(group -> behindBy(group, headAtStart).isEmpty());
            if (rebuilt) {
                log.info("views rebuilt: {} applied the store up to event {}, its head at their start",
                        String.join(", ", processingGroups), headAtStart);
            }
        }
        return rebuilt;
    }

    HealthCheck.Result check() {
        long head;
        try {
            head = position(axon.eventStore().createHeadToken());
        } catch (RuntimeException e) {
            return HealthCheck.Result.down("cannot read the event store's head: " + e.getMessage());
        }
        List<String> behind = new ArrayList<>();
        for (String group : processingGroups) {
            behindBy(group, head).ifPresent(behind::add);
        }
        if (!behind.isEmpty()) {
            return HealthCheck.Result.down("catching up with the event store (head at event " + head + "): "
                    + String.join("; ", behind));
        }
        return HealthCheck.Result.up(processingGroups.size() + " views at the event store's head (event " + head + ")");
    }

    private Optional<String> behindBy(String group, long head) {
        Optional<StreamingEventProcessor> processor = axon.eventProcessingConfiguration()
                .eventProcessorByProcessingGroup(group, StreamingEventProcessor.class);
        if (processor.isEmpty()) {
            return Optional.of(group + " has no event processor");
        }
        Map<Integer, EventTrackerStatus> segments = processor.get().processingStatus();
        if (!processor.get().isRunning() || segments.isEmpty()) {
            return Optional.of(group + " has not started processing");
        }
        for (EventTrackerStatus segment : segments.values()) {
            if (segment.isErrorState()) {
                return Optional.of(group + " failed: " + segment.getError());
            }
            long at = segment.getCurrentPosition().orElse(-1);
            if (at < head) {
                return Optional.of(group + " at event " + at);
            }
        }
        return Optional.empty();
    }

    /** -1 for an empty store (no token, or a token without a position). */
    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }
}
