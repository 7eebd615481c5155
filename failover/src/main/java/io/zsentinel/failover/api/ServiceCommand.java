package io.zsentinel.failover.api;

/** Commands handled by the Service aggregate (aggregate id = service name): its failovers, step by step. */
public interface ServiceCommand {
    ServiceName service();
}
