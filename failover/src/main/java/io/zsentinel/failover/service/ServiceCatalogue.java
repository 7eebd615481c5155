package io.zsentinel.failover.service;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.ServiceName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every configured service, checked together: names are unique, and no two services of the same primary claim
 * the same datasets (two failovers of one dataset could pick different standbys).
 */
public record ServiceCatalogue(List<ServiceDefinition> services) {
    public ServiceCatalogue {
        services = services == null ? List.of() : List.copyOf(services);
        Map<ServiceName, ServiceDefinition> byName = new LinkedHashMap<>();
        for (ServiceDefinition s : services) {
            if (byName.putIfAbsent(s.name(), s) != null) {
                throw new ServiceConflict(s.name(), "service " + s.name() + " is defined twice; give each service its own name");
            }
        }
        for (int i = 0; i < services.size(); i++) {
            for (int j = 0; j < i; j++) {
                ServiceDefinition a = services.get(j);
                ServiceDefinition b = services.get(i);
                if (a.primary().equals(b.primary())
                        && (a.datasets().coveredBy(b.datasets()) || b.datasets().coveredBy(a.datasets()))) {
                    throw new ServiceConflict(b.name(), "services " + a.name() + " and " + b.name() + " both claim datasets"
                            + " of " + a.primary() + " (" + a.datasets() + ", " + b.datasets() + "); a dataset belongs to"
                            + " one service: narrow the patterns");
                }
            }
        }
    }

    public static ServiceCatalogue none() {
        return new ServiceCatalogue(List.of());
    }

    public Optional<ServiceDefinition> named(ServiceName name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The services {@code server} is configured primary of. */
    public List<ServiceDefinition> primaryOf(ServerId server) {
        return services.stream().filter(s -> s.primary().equals(server)).toList();
    }

    /** A rule broken by the services together; names the service to look at. */
    public static final class ServiceConflict extends IllegalArgumentException {
        private final ServiceName service;

        public ServiceConflict(ServiceName service, String message) {
            super(message);
            this.service = service;
        }

        public ServiceName service() {
            return service;
        }
    }
}
