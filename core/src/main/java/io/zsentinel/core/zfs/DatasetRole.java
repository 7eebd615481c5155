package io.zsentinel.core.zfs;

/**
 * A dataset's part in a service as its user properties carry it, across agent restarts (zfs keeps them with the
 * dataset; {@code send -R} carries them): the service's {@code generation} — the fencing token every promote and
 * demote carries, 0 when none was ever set — and whether this copy is the {@code primary}. zfs-fuse shows a mounted
 * read-only dataset as {@code readonly off}, so the role is read from {@link #ROLE}, never from {@code readonly}.
 */
public record DatasetRole(long generation, boolean primary) {
    public static final String GENERATION = "zsentinel:generation";
    public static final String ROLE = "zsentinel:role";
    /** The service the dataset was last promoted for, recorded by the promotion (absent before such a promotion). */
    public static final String SERVICE = "zsentinel:service";
    static final String PRIMARY = "primary";
    static final String REPLICA = "replica";
    /** A primary its agent made read-only on its own when its lease ran out: a replica the controller may resume. */
    static final String STOOD_DOWN = "stood-down";
    /** A dataset no promote or demote ever touched. */
    public static final DatasetRole NONE = new DatasetRole(0, false);
}
