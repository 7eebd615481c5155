package io.zsentinel.deploy.cli;

import io.zsentinel.core.config.ConfigException;
import io.zsentinel.deploy.lab.LabException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.util.Properties;

/**
 * {@code zsentinel <command>}: the commands, their options and their usage text are the picocli annotations of the
 * command classes. Exit codes: 0 done, 1 refused or failed, 2 the command line (or a configuration file) is wrong.
 * Errors are one clear message, never a stack trace.
 */
@Command(name = "zsentinel", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class, usageHelpAutoWidth = true,
        description = "Keeps ZFS storage safe: agents report, the controller decides, operators order and follow.",
        subcommands = {LabCommand.class, ControllerCommand.class, AgentCommand.class, StatusCommand.class,
                BenchCommand.class, OperatorCommands.Checkpoint.class, OperatorCommands.Rollback.class,
                OperatorCommands.Restore.class, OperatorCommands.Audit.class, OperatorCommands.Maintenance.class,
                ReplicationCli.class, FailoverCli.class, FailoverCli.Switchover.class, RejoinCli.Rejoin.class, RejoinCli.Rescue.class,
                HistoryCli.class, StateCli.class,
                Main.Completion.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    static final int USAGE_ERROR = 2;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.exit(run(args));
    }

    /** Runs one command line with the process's own terminal; the exit code. */
    static int run(String[] args) {
        return commandLine(Terminal.standard()).execute(args);
    }

    /** Every command, each made with {@code terminal} when it takes one. */
    static CommandLine commandLine(Terminal terminal) {
        CommandLine commandLine = new CommandLine(new Main(), new WithTerminal(terminal));
        Arguments.register(commandLine);
        return commandLine
                .setExpandAtFiles(false) // "@name" is a word (a snapshot, a path), never a file of arguments
                .setOut(writer(terminal.out()))
                .setErr(writer(terminal.err()))
                .setParameterExceptionHandler(Main::usageError)
                .setExecutionExceptionHandler((e, cmd, parsed) -> failed(e, terminal.err()));
    }

    /** {@code zsentinel} alone: what it can do. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The message naming the wrong word, what the command takes, and where to read more. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("zsentinel: " + message(e));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.print(command.getHelp().fullSynopsis());
        err.println("(" + command.getCommandSpec().qualifiedName() + " --help says more)");
        err.flush();
        return USAGE_ERROR;
    }

    private static String message(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()
                && !e.getCommandLine().getSubcommands().isEmpty()) {
            String word = unmatched.getUnmatched().get(0);
            if (!word.startsWith("-")) {
                CommandSpec command = e.getCommandLine().getCommandSpec();
                return "unknown " + (command.parent() == null ? "" : command.name() + " ") + "command \"" + word + "\"";
            }
        }
        return e.getMessage();
    }

    /** What went wrong while a command ran: a wrong input is a usage error (2), anything else a failure (1). */
    private static int failed(Exception e, PrintStream err) {
        if (e instanceof ConfigException || e instanceof LabException || e instanceof UsageException
                || e instanceof IllegalArgumentException) {
            err.println("zsentinel: " + e.getMessage());
            return USAGE_ERROR;
        }
        err.println("zsentinel: " + e);
        return 1;
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(stream, true);
    }

    /** {@code zsentinel --version}: the Maven project's version, written into a resource when the jar is built. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"zsentinel " + of()};
        }

        static String of() {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IllegalStateException("version.properties is missing from the class path: build with Maven");
                }
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return properties.getProperty("version");
        }
    }

    @Command(name = "completion", description = "Prints a bash completion script for zsentinel.",
            footer = {"", "Load it with: source <(zsentinel completion)",
                    "or for good: zsentinel completion > /etc/bash_completion.d/zsentinel"})
    static final class Completion implements Runnable {
        @Spec
        private CommandSpec spec;

        @Override
        public void run() {
            CommandLine root = spec.root().commandLine();
            root.getOut().print(AutoComplete.bash(root.getCommandName(), root));
            root.getOut().flush();
        }
    }

    /** Makes the command classes that take a {@link Terminal} with this one; the others as picocli does. */
    private record WithTerminal(Terminal terminal) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == Terminal.class) {
                    constructor.setAccessible(true);
                    return type.cast(constructor.newInstance(terminal));
                }
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
