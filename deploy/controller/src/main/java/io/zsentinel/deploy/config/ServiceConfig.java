package io.zsentinel.deploy.config;

import io.zsentinel.core.config.ConfigProblem;
import io.zsentinel.core.values.DatasetGlob;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.core.values.Hook;
import io.zsentinel.failover.service.ServiceDefinition;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * One entry of {@code services:} in controller.yaml (rules: {@link ServiceDefinition}):
 * <pre>
 * - name: vm-storage
 *   datasets: "tank/vm*"          # served by the primary
 *   primary: storage-01
 *   standbys: [standby-01]        # preference order; each a replication target of those datasets
 *   maxDataLoss: 15m              # default 15m
 *   fence:   { command: ["/etc/zsentinel/fence.sh"], timeout: 30s }
 *   promote: { command: ["/etc/zsentinel/serve.sh"] }
 *   demote:  { command: ["/etc/zsentinel/unserve.sh"] }
 * </pre>
 * Each setting is checked on load; a refusal names the line of the setting in this entry.
 */
public record ServiceConfig(String name, String datasets, String primary, List<String> standbys, String maxDataLoss,
                            HookConfig fence, HookConfig promote, HookConfig demote) {

    /** A hook: the program and its arguments as a list (no shell), and how long it may run (default 30s, at most 5m). */
    public record HookConfig(List<String> command, String timeout) {
    }

    public ServiceConfig {
        definition(name, datasets, primary, standbys, maxDataLoss, fence, promote, demote); // refuse it at load, with the line
    }

    public ServiceDefinition definition() {
        return definition(name, datasets, primary, standbys, maxDataLoss, fence, promote, demote);
    }

    private static ServiceDefinition definition(String name, String datasets, String primary, List<String> standbys,
                                                String maxDataLoss, HookConfig fence, HookConfig promote, HookConfig demote) {
        if (name == null) {
            throw new IllegalArgumentException("a service needs a name, such as vm-storage");
        }
        ServiceName service = ServiceName.of(name);
        DatasetGlob glob = setting(name, "datasets", () -> datasets == null ? null : DatasetGlob.of(datasets));
        ServerId primaryId = setting(name, "primary", () -> primary == null ? null : ServerId.of(primary));
        List<ServerId> standbyIds = setting(name, "standbys",
                () -> standbys == null ? null : standbys.stream().map(ServerId::new).toList());
        Duration loss = setting(name, "maxDataLoss", () -> maxDataLoss == null ? null : duration("maxDataLoss", maxDataLoss));
        Hook fenceHook = setting(name, "fence", () -> hook("fence", fence));
        Hook promoteHook = setting(name, "promote", () -> hook("promote", promote));
        Hook demoteHook = setting(name, "demote", () -> hook("demote", demote));
        try {
            return new ServiceDefinition(service, glob, primaryId, standbyIds, loss, fenceHook, promoteHook, demoteHook);
        } catch (IllegalArgumentException e) {
            String key = java.util.stream.Stream.of("standbys", "maxDataLoss", "datasets", "primary")
                    .filter(e.getMessage()::contains).findFirst().orElse(null);
            throw new ConfigProblem("name", name, key, e.getMessage(), e);
        }
    }

    private static Hook hook(String which, HookConfig config) {
        if (config == null) {
            return null;
        }
        try {
            return new Hook(config.command() == null ? List.of() : config.command(),
                    config.timeout() == null ? null : duration(which + ".timeout", config.timeout()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(which + ": " + e.getMessage(), e);
        }
    }

    private static Duration duration(String setting, String text) {
        try {
            return PolicyRule.duration(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " \"" + text + "\" is not a duration such as 30s, 15m or 1h");
        }
    }

    /** {@code value}, or a ConfigProblem naming the service and the {@code key} whose line to report. */
    private static <T> T setting(String service, String key, Supplier<T> value) {
        try {
            return value.get();
        } catch (ConfigProblem e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String message = e.getMessage().startsWith("service " + service) ? e.getMessage()
                    : "service " + service + ": " + (key == null ? "" : key + ": ") + e.getMessage();
            throw new ConfigProblem("name", service, key, message, e);
        }
    }
}
