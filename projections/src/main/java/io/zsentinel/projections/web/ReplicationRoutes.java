package io.zsentinel.projections.web;

import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.replication.api.link.LinkId;

/** {@code /api/replication/links} and {@code /api/replication/links/{id}}. */
final class ReplicationRoutes {
    static final String LINKS_HINT = "GET /api/replication/links lists the links; an id is "
            + "<server>:<dataset>-><server>:<dataset>, URL-encoded as one path segment "
            + "(store-a%3Aprimary%2Fvm1-%3Estore-b%3Abackup%2Fvm1)";

    private final ReplicationLinkView links;

    ReplicationRoutes(ReplicationLinkView links) {
        this.links = links;
    }

    void addTo(Routes routes) {
        routes.get("/api/replication/links", request -> ApiResponse.json(links.links()));
        routes.get("/api/replication/links/{id}", request -> {
            LinkId id = linkId(request.pathParam("id"));
            return ApiResponse.json(links.link(id).orElseThrow(() -> ApiException.notFound(
                    "no replication link " + id + " is known", LINKS_HINT)));
        });
    }

    /** The id as the path carried it (decoded); a malformed one is the caller's mistake, not a 404. */
    static LinkId linkId(String text) {
        try {
            return LinkId.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage(), LINKS_HINT);
        }
    }
}
