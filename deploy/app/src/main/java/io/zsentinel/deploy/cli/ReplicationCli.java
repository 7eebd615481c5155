package io.zsentinel.deploy.cli;

import io.zsentinel.replication.api.link.LinkId;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code zsentinel replication pause|resume|sync-now|resolve <link>}: one operator command on a
 * replication link, decided by the controller at once (no agent to wait for).
 * Exit codes: 0 accepted, 1 refused or no controller, 2 the command line is wrong.
 */
final class ReplicationCli {
    static final String USAGE = """
              replication pause|resume|sync-now <link> --reason R
                                 stop starting transfers / start again / transfer at the next tick
              replication resolve <link> --rollback-target --reason R
                                 end a divergence by DISCARDING the target's own snapshots and writes
                a link is '<server>:<dataset>-><server>:<dataset>': quote it in a shell, since '>' redirects,
                e.g. zsentinel replication pause 'store-a:primary/vm1->store-b:backup/vm1' --reason "maintenance"
            """;
    static final String RESOLVE_WITHOUT_CONSENT = "resolve discards the target's own snapshots and every write made"
            + " on the target since the common base (it is rolled back, or replaced by a full receive -F when there"
            + " is none); say so with --rollback-target";
    private static final Set<String> ACTIONS = Set.of("pause", "resume", "sync-now", "resolve");
    private static final String DEFAULT_URL = "http://127.0.0.1:8080";

    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<String> defaultOperator;

    ReplicationCli(PrintStream out, PrintStream err, Supplier<String> defaultOperator) {
        this.out = out;
        this.err = err;
        this.defaultOperator = defaultOperator;
    }

    static ReplicationCli standard() {
        return new ReplicationCli(System.out, System.err, OperatorCli::userAtHost);
    }

    int run(Options options) throws InterruptedException {
        ControllerClient api = new ControllerClient(options.value("--url", DEFAULT_URL));
        String reason = options.value("--reason", null);
        String operator = options.value("--operator", defaultOperator.get());
        boolean rollbackTarget = options.flag("--rollback-target");
        List<String> words = options.positionals(2, 2, "zsentinel replication pause|resume|sync-now|resolve <link>"
                + " --reason R [--rollback-target]");
        options.requireAllUsed();
        String action = words.get(0);
        if (!ACTIONS.contains(action)) {
            throw new UsageException("unknown replication command \"" + action + "\"\nusage:\n" + USAGE);
        }
        LinkId link = link(words.get(1));
        if (action.equals("resolve") && !rollbackTarget) {
            throw new UsageException(RESOLVE_WITHOUT_CONSENT + ":\n  zsentinel replication resolve '" + link
                    + "' --rollback-target --reason R");
        }
        if (!action.equals("resolve") && rollbackTarget) {
            throw new UsageException("--rollback-target belongs to replication resolve only");
        }
        if (reason == null || reason.isBlank()) {
            throw new UsageException("--reason is required: the audit log records why");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operator", operator);
        body.put("reason", reason);
        if (rollbackTarget) {
            body.put("rollbackTarget", true);
        }
        try {
            ControllerClient.Answer answer = api.post("/api/replication/links/" + ControllerClient.segment(link.toString())
                    + "/" + action, body);
            if (!answer.ok()) {
                answer.printRefusal(err);
                return 1;
            }
            out.println(done(action) + " " + link + (action.equals("resolve")
                    ? ": the next transfer rolls the target back" : "") + "; follow with: zsentinel status");
            return 0;
        } catch (ControllerClient.Unreachable e) {
            err.println("zsentinel: " + e.getMessage());
            return 1;
        }
    }

    private static String done(String action) {
        return switch (action) {
            case "pause" -> "paused";
            case "resume" -> "resumed";
            case "sync-now" -> "sync requested for";
            default -> "resolution ordered for";
        };
    }

    private static LinkId link(String text) {
        try {
            return LinkId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + " (quote it in a shell: '>' redirects)");
        }
    }
}
