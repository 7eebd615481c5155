package io.zsentinel.core.zfs;

import java.time.Duration;
import java.util.List;

/**
 * Runs one program with an argument list (never a shell string) and hands back what it said.
 * Implementations count every invocation: the replication planner asserts "O(datasets) zfs calls
 * per cycle" against {@link #invocations()}.
 */
public interface CommandRunner {

    /**
     * Runs {@code command} (program first, e.g. {@code ["zfs", "list", ...]}) and waits at most
     * {@code timeout}. A non-zero exit is a result, not an exception.
     */
    CommandResult run(List<String> command, Duration timeout);

    /** How many commands this runner has started since it was created. */
    long invocations();
}
