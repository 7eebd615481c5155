package io.zsentinel.core.zfs;

import java.util.OptionalLong;

/**
 * The "scan:" (OpenZFS) or "scrub:" (zfs-fuse and old Solaris) paragraph of {@code zpool status}.
 * {@code repairedBytes} is known only from OpenZFS' "scrub repaired 1.5M in ..." form.
 */
public record ScanStatus(Activity activity, Progress progress, OptionalLong repairedBytes, OptionalLong errors,
                         String text) {

    public enum Activity { NONE, SCRUB, RESILVER }

    public enum Progress { NONE, IN_PROGRESS, FINISHED, CANCELED }

    public static final ScanStatus NONE = new ScanStatus(Activity.NONE, Progress.NONE, OptionalLong.empty(),
            OptionalLong.empty(), "");

    public boolean inProgress() {
        return progress == Progress.IN_PROGRESS;
    }
}
