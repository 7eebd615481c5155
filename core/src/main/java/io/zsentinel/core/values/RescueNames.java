package io.zsentinel.core.values;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where a rejoin keeps a former primary's divergent state: {@code <pool>/zsentinel-rescue/<path>-<UTC time>}, the
 * dataset's path below its pool with '/' as '_'; the snapshot that captures what was written after the newest one is
 * {@code zsentinel-rescue-<UTC time>}. Retention and every other automatic destroy skip what lies below
 * {@value #PARENT}: only an operator's {@code rescue release} removes it.
 */
public final class RescueNames {
    /** The dataset below a pool's root that holds the rescued datasets. */
    public static final String PARENT = "zsentinel-rescue";
    /** The user property a rescued dataset carries: the dataset it was rescued from (an agent destroys only these). */
    public static final String RESCUE_OF = "zsentinel:rescue-of";
    /** The user property a rescued dataset carries: the common snapshot its dataset was rolled back to. */
    public static final String RESCUE_FROM = "zsentinel:rescue-from";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private RescueNames() {
    }

    /** The rescue dataset for {@code dataset}'s divergent state kept at {@code at}. */
    public static DatasetName rescueOf(DatasetName dataset, Instant at) {
        String path = dataset.value().indexOf('/') < 0 ? dataset.value()
                : dataset.value().substring(dataset.value().indexOf('/') + 1).replace('/', '_');
        return DatasetName.of(dataset.pool().value()).child(PARENT).child(path + "-" + STAMP.format(at));
    }

    /** The snapshot that captures writes made after the newest snapshot, on the dataset before it moves aside. */
    public static String snapshotOf(DatasetName rescue) {
        String name = rescue.value();
        return PARENT + name.substring(name.lastIndexOf('-'));
    }

    /** True for the rescue parent and everything below it. */
    public static boolean isRescue(DatasetName dataset) {
        String[] parts = dataset.value().split("/");
        return parts.length > 1 && parts[1].equals(PARENT);
    }
}
