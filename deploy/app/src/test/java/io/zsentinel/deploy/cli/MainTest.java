package io.zsentinel.deploy.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as an operator types it: every command and its --help, --version, the completion script, usage errors. */
class MainTest {
    /** Each command with its subcommands: what operators and scripts type (README.md). */
    private static final Map<String, List<String>> COMMANDS = Map.ofEntries(Map.entry("lab", List.of("fault", "heal", "client")),
            Map.entry("controller", List.of()), Map.entry("agent", List.of()), Map.entry("status", List.of()),
            Map.entry("bench", List.of("replication", "fleet", "failover", "switchover")), Map.entry("checkpoint", List.of("release")),
            Map.entry("rollback", List.of()), Map.entry("restore", List.of()), Map.entry("audit", List.of()),
            Map.entry("maintenance", List.of()),
            Map.entry("replication", List.of("pause", "resume", "sync-now", "resolve")),
            Map.entry("failover", List.of("ack", "force", "show")), Map.entry("switchover", List.of()),
            Map.entry("rejoin", List.of()), Map.entry("rescue", List.of("list", "release")), Map.entry("history", List.of()), Map.entry("state", List.of()),
            Map.entry("completion", List.of()), Map.entry("help", List.of()));

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void theCommandsAreTheOnesOperatorsType() {
        CommandLine zsentinel = Main.commandLine(terminal());
        assertEquals(COMMANDS.keySet(), zsentinel.getSubcommands().keySet());
        COMMANDS.forEach((command, subcommands) -> assertEquals(List.copyOf(subcommands),
                List.copyOf(zsentinel.getSubcommands().get(command).getSubcommands().keySet()), command));
    }

    @Test
    void everyCommandAndSubcommandAnswersHelpWithItsOwnUsageAndDoesNothingElse() {
        List<List<String>> paths = new ArrayList<>();
        COMMANDS.forEach((command, subcommands) -> {
            paths.add(List.of(command));
            subcommands.forEach(sub -> paths.add(List.of(command, sub)));
        });
        for (List<String> path : paths) {
            String name = "zsentinel " + String.join(" ", path);
            for (List<String> help : List.of(List.of("--help"), List.of("-h", "--url", "http://127.0.0.1:1"))) {
                // no controller listens at that URL, and --config names no file: an answer of 0 means nothing was tried
                assertEquals(0, run(Stream.concat(path.stream(), help.stream()).toArray(String[]::new)), name + ": " + err());
                assertTrue(out().contains("Usage: " + name + " "), out()); // help starts with what it is
                assertEquals("", err(), name);
            }
        }
        assertTrue(helpOf("audit").contains("--dataset=D"), helpOf("audit"));
        assertFalse(helpOf("audit").contains("--wait"), "audit orders nothing: " + helpOf("audit"));
        assertTrue(helpOf("restore").contains("--wait=SECONDS") && helpOf("restore").contains("--no-wait"), helpOf("restore"));
        assertTrue(helpOf("checkpoint", "release").contains("--reason=R"), "release takes the order options too");
        assertTrue(helpOf("replication").contains("quote it in a shell"), helpOf("replication"));

        assertEquals(0, run("help", "audit"));
        assertEquals(helpOf("audit"), out());
        assertEquals(0, run());
        assertTrue(out().startsWith("Usage: zsentinel ") && out().contains("checkpoint") && out().contains("completion"), out());
    }

    @Test
    void versionIsTheMavenProjectVersion() {
        String version = System.getProperty("zsentinel.project.version");
        assertNotNull(version, "set by surefire (deploy/app/pom.xml)");
        assertEquals(0, run("--version"));
        assertEquals("zsentinel " + version + System.lineSeparator(), out());
        assertEquals(0, run("-V"));
        assertEquals("zsentinel " + version + System.lineSeparator(), out());
    }

    @Test
    void completionPrintsABashScriptThatKnowsEveryCommand() {
        assertEquals(0, run("completion"));
        String script = out();
        assertTrue(script.startsWith("#!/usr/bin/env bash"), script.lines().findFirst().orElse(""));
        assertTrue(script.contains("complete -F _complete_zsentinel"), "registers itself for zsentinel");
        String commands = script.lines().filter(l -> l.trim().startsWith("local commands=")).findFirst().orElseThrow();
        for (String command : COMMANDS.keySet()) {
            assertTrue(commands.contains(" " + command + " ") || commands.contains("\"" + command + " ")
                    || commands.contains(" " + command + "\""), command + " in " + commands);
        }
        assertTrue(script.contains("\"pause resume sync-now resolve\""), "the replication commands complete too");
        assertTrue(script.contains("--destroy-newer") && script.contains("--rollback-target"), "and their options");
    }

    @Test
    void aWrongCommandLineExitsWithTwoNamingTheWrongWord() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err().startsWith("zsentinel: unknown command \"frobnicate\""), err());
        assertTrue(err().contains("Usage: zsentinel ") && err().contains("zsentinel --help says more"), err());

        assertEquals(2, run("lab", "--port", "eighty"));
        assertTrue(err().startsWith("zsentinel: Invalid value for option '--port': 'eighty' is not an int"), err());
        assertEquals(2, run("lab", "--bogus"));
        assertTrue(err().startsWith("zsentinel: Unknown option: '--bogus'"), err());
        assertEquals(2, run("status", "--url"));
        assertTrue(err().startsWith("zsentinel: Missing required parameter for option '--url' (URL)"), err());
        assertEquals(2, run("bench", "compression"));
        assertTrue(err().startsWith("zsentinel: unknown bench command \"compression\""), err());
        assertEquals(2, run("replication"));
        assertTrue(err().startsWith("zsentinel: Missing required subcommand"), err());
        assertEquals(2, run("agent"));
        assertTrue(err().startsWith("zsentinel: Missing required option: '--config=agent.yaml'"), err());
    }

    @Test
    void aConfigurationThatCannotBeReadExitsWithTwoSayingWhich(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("controller.yaml"), "kafka: [not, a, map]\n");
        assertEquals(2, run("controller", "--config", config.toString()));
        assertTrue(err().startsWith("zsentinel: ") && err().contains("controller.yaml"), err());
        assertEquals(1, err().lines().count(), "one message, no stack trace: " + err());
    }

    @Test
    void noControllerIsAUsageErrorSayingWhereItWasAsked() {
        assertEquals(2, run("status", "--url", "http://127.0.0.1:1"));
        assertTrue(err().startsWith("zsentinel: no controller answers at http://127.0.0.1:1"), err());
        assertEquals(1, run("audit", "--url", "http://127.0.0.1:1"));
        assertTrue(err().startsWith("zsentinel: no controller answers at http://127.0.0.1:1"), err());
    }

    private String helpOf(String... command) {
        assertEquals(0, run(Stream.concat(Stream.of(command), Stream.of("--help")).toArray(String[]::new)));
        return out();
    }

    /** One command line; {@link #out()} and {@link #err()} hold what it printed. */
    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.commandLine(terminal()).execute(args);
    }

    private Terminal terminal() {
        return new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                () -> "tester@host", d -> {
                    throw new AssertionError("nothing to wait for");
                }, ZoneOffset.UTC);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
