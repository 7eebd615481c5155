package io.zsentinel.projections.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The route table: method + path template → handler. First match wins; add routes before starting the server. */
public final class Routes {
    private record Route(String method, PathTemplate path, ApiHandler handler) {
    }

    /** The outcome of looking a request up: a handler with its path parameters, or why there is none. */
    sealed interface Lookup {
        record Found(ApiHandler handler, Map<String, String> pathParams) implements Lookup {
        }

        record MethodNotAllowed(Set<String> allowed) implements Lookup {
        }

        /** {@code encodedPath}: the path that would match with a parameter's '/' encoded, or null. */
        record NotFound(String encodedPath) implements Lookup {
        }
    }

    private final List<Route> routes = new ArrayList<>();

    public Routes get(String pathTemplate, ApiHandler handler) {
        return add("GET", pathTemplate, handler);
    }

    public Routes post(String pathTemplate, ApiHandler handler) {
        return add("POST", pathTemplate, handler);
    }

    public synchronized Routes add(String method, String pathTemplate, ApiHandler handler) {
        routes.add(new Route(method, new PathTemplate(pathTemplate), handler));
        return this;
    }

    /** {@code METHOD /template} of every route, in the order added (what the API document must describe). */
    public synchronized List<String> list() {
        return routes.stream().map(route -> route.method + " " + route.path).toList();
    }

    synchronized Lookup lookup(String method, String rawPath) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> params = route.path.match(rawPath);
            if (params.isEmpty()) {
                continue;
            }
            if (route.method.equals(method)) {
                return new Lookup.Found(route.handler, params.get());
            }
            allowed.add(route.method);
        }
        if (!allowed.isEmpty()) {
            return new Lookup.MethodNotAllowed(allowed);
        }
        for (Route route : routes) {
            Optional<String> encoded = route.method.equals(method) ? route.path.withSlashesEncoded(rawPath) : Optional.empty();
            if (encoded.isPresent()) {
                return new Lookup.NotFound(encoded.get());
            }
        }
        return new Lookup.NotFound(null);
    }
}
