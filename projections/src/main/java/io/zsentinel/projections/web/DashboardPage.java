package io.zsentinel.projections.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /}: one self-contained HTML file (the machines have no internet, so no CDN). */
final class DashboardPage {
    private static final String RESOURCE = "dashboard.html";

    private final String page;

    DashboardPage() {
        try (InputStream in = DashboardPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the projections jar");
            }
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    void addTo(Routes routes) {
        routes.get("/", request -> ApiResponse.html(page));
    }
}
