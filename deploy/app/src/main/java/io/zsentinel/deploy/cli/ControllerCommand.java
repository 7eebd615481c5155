package io.zsentinel.deploy.cli;

import io.zsentinel.core.config.ConfigFiles;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

@Command(name = "controller", description = "Runs the controller until Ctrl-C: event store, rules, REST API and dashboard.")
final class ControllerCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "controller.yaml", required = true, description = "the controller's configuration (see README.md)")
    Path config;

    private final Terminal terminal;

    ControllerCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        ControllerConfig read = ConfigFiles.read(config, ControllerConfig.class);
        UntilInterrupted.run(() -> {
            ControllerApp app = ControllerApp.start(read, EmbeddedPostgresStore::start, Clock.systemUTC());
            terminal.out().println("zsentinel controller: API on http://" + read.http().host() + ":" + app.httpPort() + "/");
            return app;
        }, terminal.out(), terminal.err());
        return 0;
    }
}
