package io.zsentinel.deploy.operator;

import io.zsentinel.projections.web.ApiResponse;
import io.zsentinel.projections.web.Routes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** {@code GET /api/openapi.yaml}: the API document, {@code docs/openapi.yaml} as the build packed it. */
public final class ApiDocumentRoute {
    static final String RESOURCE = "openapi.yaml";
    private static final String YAML = "application/yaml; charset=utf-8";

    private final byte[] document;

    public ApiDocumentRoute() {
        try (InputStream in = ApiDocumentRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path: build with Maven");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    public void addTo(Routes routes) {
        routes.get("/api/openapi.yaml", request -> new ApiResponse(200, YAML, document, Map.of()));
    }
}
