package io.zsentinel.replication.api.link;

import io.zsentinel.replication.api.Operator;

import java.time.Instant;

/** An operator's command on a link ({@code replication pause|resume|sync-now|resolve}): audited with who and why. */
public interface LinkOperatorCommand extends LinkCommand {
    Operator operator();

    String reason();

    Instant at();
}
