package io.zsentinel.deploy.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.messages.MessageTypes;
import io.zsentinel.projections.web.ApiException;
import io.zsentinel.projections.web.ApiRequest;
import io.zsentinel.projections.web.ApiResponse;
import io.zsentinel.projections.web.Routes;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code GET /api/history?subject=S[&since=T][&until=T][&type=A,B][&after=N][&limit=N]}: the domain events of one
 * subject — a server ({@code storage-01}), a dataset ({@code storage-01:tank/vm1}), a replication link
 * ({@code storage-01:tank/vm1->standby-01:tank/vm1}) or a service ({@code vm-storage}) — oldest first, read from the
 * event store (the subject is its aggregate's identifier), never from the live views. A page holds up to {@code limit}
 * events (default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}); {@code next} is the {@code after} of the next
 * page, null on the last.
 */
public final class HistoryRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final String SUBJECTS = "a server (storage-01), a dataset (storage-01:tank/vm1), a link"
            + " (storage-01:tank/vm1->standby-01:tank/vm1) or a service (vm-storage)";

    private final Supplier<EventStore> store;
    private final MessageTypes types;
    private final ObjectMapper json = Json.newMapper();

    /** One event of the subject: its number in the subject's stream, when it happened, its type and its fields. */
    public record Entry(long sequence, Instant at, String type, JsonNode event) {
    }

    /** A page of a subject's history; {@code next}: the {@code after} that asks for the next page (null: none). */
    public record Page(String subject, List<Entry> events, Long next) {
    }

    /** {@code types}: the names events travel under on Kafka (an event of another type is named by its class). */
    public HistoryRoutes(Supplier<EventStore> store, MessageTypes types) {
        this.store = store;
        this.types = types;
    }

    public void addTo(Routes routes) {
        routes.get("/api/history", request -> ApiResponse.json(page(request)));
    }

    private Page page(ApiRequest request) {
        String subject = request.query("subject").map(String::strip).filter(s -> !s.isEmpty())
                .orElseThrow(() -> ApiException.badRequest("subject is missing", "give ?subject= " + SUBJECTS));
        Optional<Instant> since = instant(request, "since");
        Optional<Instant> until = instant(request, "until");
        Set<String> wanted = request.query("type").map(t -> Arrays.stream(t.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()))
                .orElse(Set.of());
        long after = number(request, "after", -1, Long.MAX_VALUE - 1, -1);
        int limit = (int) number(request, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        return read(subject, after, limit, since, until, wanted);
    }

    /** Reads the subject's stream from {@code after + 1}, keeping what the filters let through, up to {@code limit}. */
    Page read(String subject, long after, int limit, Optional<Instant> since, Optional<Instant> until,
              Set<String> wanted) {
        List<Entry> entries = new ArrayList<>();
        DomainEventStream stream = store.get().readEvents(subject, after + 1);
        boolean any = after >= 0;
        Long next = null;
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            any = true;
            Instant at = message.getTimestamp();
            if (until.isPresent() && at.isAfter(until.get())) {
                break; // a subject's events are in time order: none later passes either
            }
            String type = typeOf(message.getPayload());
            if (since.isPresent() && at.isBefore(since.get())
                    || !wanted.isEmpty() && !wanted.contains(type.toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (entries.size() == limit) {
                next = entries.get(entries.size() - 1).sequence();
                break;
            }
            entries.add(new Entry(message.getSequenceNumber(), at, type, json.valueToTree(message.getPayload())));
        }
        if (!any) {
            throw ApiException.notFound("no history for \"" + subject + "\"", "a subject is " + SUBJECTS
                    + ", written exactly as GET /api/servers, /api/datasets, /api/replication/links or /api/services"
                    + " name it");
        }
        return new Page(subject, entries, next);
    }

    private String typeOf(Object payload) {
        try {
            return types.of(payload.getClass()).name();
        } catch (RuntimeException notADomainEventType) {
            return payload.getClass().getSimpleName();
        }
    }

    private static Optional<Instant> instant(ApiRequest request, String name) {
        Optional<String> text = request.query(name);
        try {
            return text.map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an instant such as 2026-11-30T03:12:00Z, not \""
                    + text.orElse("") + "\"", "UTC, with the Z");
        }
    }

    private static long number(ApiRequest request, String name, long min, long max, long absent) {
        Optional<String> text = request.query(name);
        if (text.isEmpty()) {
            return absent;
        }
        try {
            long value = Long.parseLong(text.get().strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest(name + " must be a number from " + min + " to " + max + ", not \"" + text.get()
                + "\"", "after: the next of the previous page; limit: events per page");
    }
}
