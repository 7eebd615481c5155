package io.zsentinel.projections.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.zsentinel.projections.link.LinkRow;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.projections.link.RetentionHeldBack;
import io.zsentinel.projections.link.RetentionHolds;
import io.zsentinel.replication.api.link.LinkId;

import java.util.Map;
import java.util.stream.Collectors;

/** {@code /api/replication/links} and {@code /api/replication/links/{id}}. */
final class ReplicationRoutes {
    static final String LINKS_HINT = "GET /api/replication/links lists the links; an id is "
            + "<server>:<dataset>-><server>:<dataset>, URL-encoded as one path segment "
            + "(store-a%3Aprimary%2Fvm1-%3Estore-b%3Abackup%2Fvm1)";

    /** A link as the API answers it: the row's fields, and what it holds back of its source's retention (or null). */
    record LinkAnswer(@JsonUnwrapped LinkRow link, RetentionHeldBack retentionHeldBack) {
    }

    private final ReplicationLinkView links;
    private final RetentionHolds holds;

    ReplicationRoutes(ReplicationLinkView links, RetentionHolds holds) {
        this.links = links;
        this.holds = holds;
    }

    void addTo(Routes routes) {
        routes.get("/api/replication/links", request -> {
            Map<String, RetentionHeldBack> held = holds.all().stream()
                    .collect(Collectors.toMap(RetentionHeldBack::link, h -> h, (a, b) -> a));
            return ApiResponse.json(links.links().stream().map(l -> new LinkAnswer(l, held.get(l.id()))).toList());
        });
        routes.get("/api/replication/links/{id}", request -> {
            LinkId id = linkId(request.pathParam("id"));
            LinkRow link = links.link(id).orElseThrow(() -> ApiException.notFound(
                    "no replication link " + id + " is known", LINKS_HINT));
            return ApiResponse.json(new LinkAnswer(link, holds.forLink(link.id()).orElse(null)));
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
