package io.zsentinel.deploy.transfer;

import io.zsentinel.core.messages.agentcommands.StartTransfer;
import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.DatasetRole;
import io.zsentinel.core.zfs.SendSpec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pre-flight check on both sides' inventories as data: what it decides, and that it asks only what it needs. */
class TransferPreflightTest {
    private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");
    private static final SnapshotName S1 = SnapshotName.parse("tank/vm1@s1");
    private static final SnapshotName S2 = SnapshotName.parse("tank/vm1@s2");
    private static final SnapshotName S3 = SnapshotName.parse("tank/vm1@s3");
    private static final DatasetName COPY = new DatasetName("backup/vm1");

    /** Source tank/vm1: s1 (txg 10), s2 (20), s3 (30); guids 1, 2, 3. */
    private final List<SnapshotInfo> source = List.of(snap(S1, 1, 10), snap(S2, 2, 20), snap(S3, 3, 30));
    private final List<String> asked = new ArrayList<>();
    private DatasetRole targetRole = DatasetRole.NONE;
    private DatasetRole sourceRole = DatasetRole.NONE;

    private static SnapshotInfo snap(SnapshotName name, long guid, long txg) {
        return new SnapshotInfo(name, new Guid(guid), txg, T0.plusSeconds(txg), 0, 0);
    }

    private static SnapshotInfo copy(String shortName, long guid, long txg) {
        return snap(COPY.snapshot(shortName), guid, txg);
    }

    private static StartTransfer order(SnapshotName from, SnapshotName to, boolean fromBookmark) {
        return new StartTransfer(UUID.randomUUID(), new ServerId("primary"), 1, UUID.randomUUID(), from, to, false,
                new ServerId("standby"), COPY, null, 0, false, "link", fromBookmark);
    }

    /** The sides as given; each question noted. */
    private TransferPreflight.Sides sides(Long targetGuidOfTo, String partial, List<SnapshotInfo> target,
                                          long baseGuid, List<BookmarkInfo> bookmarks) {
        return new TransferPreflight.Sides() {
            @Override
            public Optional<Guid> targetSnapshotGuid() {
                asked.add("targetSnapshotGuid");
                return Optional.ofNullable(targetGuidOfTo).map(Guid::new);
            }

            @Override
            public Guid sourceSnapshotGuid() {
                asked.add("sourceSnapshotGuid");
                return new Guid(3);
            }

            @Override
            public Optional<String> partialReceive() {
                asked.add("partialReceive");
                return Optional.ofNullable(partial);
            }

            @Override
            public List<SnapshotInfo> targetSnapshots() {
                asked.add("targetSnapshots");
                return target;
            }

            @Override
            public Guid incrementalSourceGuid() {
                asked.add("incrementalSourceGuid");
                return new Guid(baseGuid);
            }

            @Override
            public List<SnapshotInfo> sourceSnapshots() {
                asked.add("sourceSnapshots");
                return source;
            }

            @Override
            public List<BookmarkInfo> sourceBookmarks() {
                asked.add("sourceBookmarks");
                return bookmarks;
            }

            @Override
            public DatasetRole targetRole() {
                return targetRole; // asked of every existing target: not noted
            }

            @Override
            public DatasetRole sourceRole() {
                return sourceRole; // asked of every order: not noted
            }
        };
    }

    private TransferPreflight.Verdict.Refused refused(TransferPreflight.Verdict verdict) {
        return assertInstanceOf(TransferPreflight.Verdict.Refused.class, verdict);
    }

    @Test
    void nothingIsEverSentOntoTheServicesPrimaryNotEvenWithTheOperatorsConsentToRollTheTargetBack() {
        targetRole = new DatasetRole(2, true); // the standby, promoted by a failover; the old primary's link still sends
        StartTransfer order = new StartTransfer(UUID.randomUUID(), new ServerId("primary"), 1, UUID.randomUUID(), S2, S3,
                false, new ServerId("standby"), COPY, null, 0, true, "link", false);
        TransferPreflight.Verdict.Refused refused = refused(TransferPreflight.check(order,
                SendSpec.withIntermediates(S2, S3), true, sides(null, null, List.of(copy("s2", 2, 5)), 2, List.of())));
        assertFalse(refused.retriable());
        assertTrue(refused.reason().contains("is the writable primary of its service (generation 2)"), refused.reason());
        targetRole = new DatasetRole(2, false); // a demoted copy is a replica again: it receives, at its generation
        assertInstanceOf(TransferPreflight.Verdict.Stream.class, TransferPreflight.check(order(S2, S3, false)
                .atGeneration(2), SendSpec.withIntermediates(S2, S3), true,
                sides(null, null, List.of(copy("s2", 2, 5)), 2, List.of())));
    }

    /**
     * Issue 11, generation fencing of receives: once a failover's new primary sent to a target (and recorded its
     * generation there), an older order (a former primary's, queued while it was away) is refused, retriably.
     */
    @Test
    void anOrderOlderThanTheGenerationTheTargetCarriesIsRefused() {
        targetRole = new DatasetRole(2, false);
        List<SnapshotInfo> target = List.of(copy("s2", 2, 5));
        for (long generation : List.of(0L, 1L)) {
            TransferPreflight.Verdict.Refused refused = refused(TransferPreflight.check(order(S2, S3, false)
                    .atGeneration(generation), SendSpec.withIntermediates(S2, S3), true,
                    sides(null, null, target, 2, List.of())));
            assertTrue(refused.retriable() && !refused.targetFault());
            assertTrue(refused.reason().contains("carries generation 2, newer than this order's " + generation),
                    refused.reason());
        }
        for (long generation : List.of(2L, 3L)) {
            assertInstanceOf(TransferPreflight.Verdict.Stream.class, TransferPreflight.check(order(S2, S3, false)
                    .atGeneration(generation), SendSpec.withIntermediates(S2, S3), true,
                    sides(null, null, target, 2, List.of())));
        }
    }

    @Test
    void aDemotedSourceSendsNoOrderOlderThanItsGenerationAndAPrimaryAnyOrder() {
        sourceRole = new DatasetRole(2, false); // the former primary, demoted when it came back
        TransferPreflight.Verdict.Refused refused = refused(TransferPreflight.check(order(null, S3, false),
                SendSpec.full(S3), false, sides(null, null, List.of(), 0, List.of())));
        assertTrue(refused.retriable() && !refused.targetFault());
        assertTrue(refused.reason().contains("tank/vm1 here carries generation 2 and no longer serves"), refused.reason());
        sourceRole = new DatasetRole(2, true);
        assertInstanceOf(TransferPreflight.Verdict.Stream.class, TransferPreflight.check(order(null, S3, false),
                SendSpec.full(S3), false, sides(null, null, List.of(), 0, List.of())));
    }

    @Test
    void aFullStreamToANewTargetStreamsWithoutAskingAnything() {
        TransferPreflight.Verdict v = TransferPreflight.check(order(null, S3, false), SendSpec.full(S3), false,
                sides(null, null, List.of(), 0, List.of()));
        assertInstanceOf(TransferPreflight.Verdict.Stream.class, v);
        assertEquals(List.of(), asked);
    }

    @Test
    void theOrderedSnapshotAlreadyOnTheTargetWithTheSameGuidIsCompletedAndOneWithAnotherGuidDiverged() {
        StartTransfer order = order(S2, S3, false);
        TransferPreflight.Verdict there = TransferPreflight.check(order, SendSpec.withIntermediates(S2, S3), true,
                sides(3L, null, List.of(), 2, List.of()));
        assertEquals(new TransferPreflight.Verdict.AlreadyThere(new Guid(3)), there);
        TransferPreflight.Verdict.Refused other = refused(TransferPreflight.check(order,
                SendSpec.withIntermediates(S2, S3), true, sides(99L, null, List.of(), 2, List.of())));
        assertFalse(other.retriable());
        assertFalse(other.targetFault());
        assertTrue(other.reason().contains("the target diverged"), other.reason());
    }

    @Test
    void aPartlyReceivedStreamIsRefusedWithItsTokenForTheNextAttemptToResume() {
        TransferPreflight.Verdict.Refused r = refused(TransferPreflight.check(order(S2, S3, false),
                SendSpec.withIntermediates(S2, S3), true, sides(null, "1-abc-def", List.of(), 2, List.of())));
        assertTrue(r.retriable());
        assertEquals("1-abc-def", r.resumeToken());
    }

    @Test
    void aResumedStreamStreamsWithoutLookingFurther() {
        TransferPreflight.Verdict v = TransferPreflight.check(order(S2, S3, false), SendSpec.resume("1-abc", S3), true,
                sides(null, "1-abc", List.of(), 2, List.of()));
        assertInstanceOf(TransferPreflight.Verdict.Stream.class, v);
        assertEquals(List.of("targetSnapshotGuid"), asked);
    }

    @Test
    void anIncrementalToAMissingTargetIsRetriableAndTheTargetsFault() {
        TransferPreflight.Verdict.Refused r = refused(TransferPreflight.check(order(S2, S3, false),
                SendSpec.withIntermediates(S2, S3), false, sides(null, null, List.of(), 2, List.of())));
        assertTrue(r.retriable());
        assertTrue(r.targetFault());
    }

    @Test
    void anIncrementalOntoTheTargetsNewestStreams() {
        TransferPreflight.Verdict v = TransferPreflight.check(order(S2, S3, false), SendSpec.withIntermediates(S2, S3),
                true, sides(null, null, List.of(copy("s2", 2, 7), copy("s1", 1, 5)), 2, List.of()));
        assertInstanceOf(TransferPreflight.Verdict.Stream.class, v);
        assertFalse(asked.contains("sourceSnapshots"), "the newest matched by guid: the source is not listed");
    }

    @Test
    void aTargetAheadOfThePlanOrBehindItIsPlannedAgainNotDiverged() {
        TransferPreflight.Verdict.Refused ahead = refused(TransferPreflight.check(order(S1, S2, false),
                SendSpec.withIntermediates(S1, S2), true, sides(null, null, List.of(copy("s1", 1, 5), copy("s3", 3, 9)),
                        1, List.of())));
        assertTrue(ahead.retriable());
        assertTrue(ahead.reason().contains("the plan was stale"), ahead.reason());
        TransferPreflight.Verdict.Refused behind = refused(TransferPreflight.check(order(S2, S3, false),
                SendSpec.withIntermediates(S2, S3), true, sides(null, null, List.of(copy("s1", 1, 5)), 2, List.of())));
        assertTrue(behind.retriable());
        assertTrue(behind.reason().contains("lacks the planned incremental source"), behind.reason());
    }

    @Test
    void aTargetWhoseNewestSnapshotIsItsOwnDiverged() {
        TransferPreflight.Verdict.Refused r = refused(TransferPreflight.check(order(S2, S3, false),
                SendSpec.withIntermediates(S2, S3), true,
                sides(null, null, List.of(copy("s2", 2, 7), copy("mine", 77, 8)), 2, List.of())));
        assertFalse(r.retriable());
        assertTrue(r.reason().contains("its newest snapshot is backup/vm1@mine (guid"), r.reason());
    }

    @Test
    void theBaseMayBeABookmarkWhoseSnapshotIsGoneFromTheSource() {
        BookmarkName mark = new BookmarkName(S1.dataset(), "s0");
        List<BookmarkInfo> marks = List.of(new BookmarkInfo(mark, new Guid(50), 5, T0));
        // the target's newest is s1 (txg 10 here), newer than the bookmark (txg 5): the plan is stale
        TransferPreflight.Verdict.Refused r = refused(TransferPreflight.check(
                order(SnapshotName.parse("tank/vm1@s0"), S3, true), SendSpec.fromBookmark(mark, S3), true,
                sides(null, null, List.of(copy("s0", 50, 3), copy("s1", 1, 5)), 50, marks)));
        assertTrue(r.reason().contains("the plan was stale"), r.reason());
        assertTrue(asked.contains("sourceBookmarks"));
    }

    @Test
    void aFullStreamPlannedBeforeTheTargetShowedAnEarlierTransferIsPlannedAgainNotDiverged() {
        // the first full send put s1 there; s2 was planned as full before the target's inventory showed s1
        TransferPreflight.Verdict.Refused r = refused(TransferPreflight.check(order(null, S2, false), SendSpec.full(S2),
                true, sides(null, null, List.of(copy("s1", 1, 5)), 0, List.of())));
        assertTrue(r.retriable());
        assertFalse(r.targetFault());
        assertTrue(r.reason().contains("already holds backup/vm1@s1") && r.reason().contains("the plan was stale"),
                r.reason());
    }

    @Test
    void aFullStreamNeverReplacesAnExistingTarget() {
        TransferPreflight.Verdict.Refused r = refused(TransferPreflight.check(order(null, S3, false), SendSpec.full(S3),
                true, sides(null, null, List.of(), 0, List.of())));
        assertFalse(r.retriable());
        assertTrue(r.reason().contains("a full stream would have to replace it"), r.reason());
    }
}
