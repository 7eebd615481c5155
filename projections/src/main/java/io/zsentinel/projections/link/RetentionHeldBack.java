package io.zsentinel.projections.link;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Objects;

/**
 * Retention of a source dataset held back by one replication link: {@code snapshots} expired snapshots
 * ({@code bytes} used by them) are kept because the link's target has not received them, since
 * {@code since}; the link's common base {@code base} is kept too (always). Past {@code limit} snapshots (or
 * {@code limitDays} days each, null: no age limit) the oldest expire anyway and the target skips them.
 */
public record RetentionHeldBack(String link, String server, String dataset, int snapshots, long bytes, Instant since,
                                String base, int limit, Integer limitDays) {
    public RetentionHeldBack {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(since, "since");
        if (snapshots < 1 || limit < 1) {
            throw new IllegalArgumentException("a hold of link " + link + " has at least one snapshot and a limit"
                    + " of at least one, was " + snapshots + " of " + limit);
        }
    }

    /** The operator's sentence, as the dashboard and {@code zsentinel status} print it. */
    @JsonProperty("summary")
    public String summary() {
        return "retention of " + server + ":" + dataset + " held back by link " + link + " since " + since + ": "
                + snapshots + " snapshot" + (snapshots == 1 ? "" : "s") + ", " + bytes + " bytes kept beyond policy"
                + " (limit " + limit + (limitDays == null ? "" : " snapshots or " + limitDays + " days each")
                + ", then the oldest are pruned and the target skips them; its common base "
                + base + " is always kept)";
    }
}
