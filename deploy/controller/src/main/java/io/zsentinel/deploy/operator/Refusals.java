package io.zsentinel.deploy.operator;

import io.zsentinel.projections.web.ApiException;
import io.zsentinel.replication.api.Refusal;
import org.axonframework.modelling.command.AggregateNotFoundException;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns what {@code sendAndWait} throws into the answer the operator reads. The rules refuse with a
 * {@link Refusal}: CONFLICT (the order conflicts with the aggregate's state) is a 409, INVALID (the
 * order itself is wrong) a 400, with the refusal's reason as the error and its correction in the hint.
 * Axon hands it over as it is on a local bus and wrapped in a CommandExecutionException on a
 * distributed one, so the cause chain is searched. An IllegalArgumentException is a value built from
 * the order that did not validate (400). Anything else, an IllegalStateException included, is no
 * refusal but a defect: it goes on to the API server, which answers 500 and logs it with an id.
 */
final class Refusals {
    private Refusals() {
    }

    static Optional<ApiException> classify(Throwable thrown, String hint) {
        return classify(thrown, hint, () -> ApiException.notFound("the controller has no record of this dataset yet",
                "wait for the agent's next inventory report, then retry"));
    }

    /** {@code notFound}: what to answer when the aggregate does not exist (a dataset, a link, ...). */
    static Optional<ApiException> classify(Throwable thrown, String hint, Supplier<ApiException> notFound) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AggregateNotFoundException) {
                return Optional.of(notFound.get());
            }
            if (t instanceof Refusal r) {
                return Optional.of(new ApiException(r.kind() == Refusal.Kind.CONFLICT ? 409 : 400, r.reason(),
                        "nothing was ordered; " + r.correction() + "; " + hint));
            }
            if (t instanceof IllegalArgumentException) { // a value built from the order did not validate
                return Optional.of(ApiException.badRequest(t.getMessage(), "nothing was ordered; " + hint));
            }
        }
        return Optional.empty();
    }

    /** {@link #classify}, or the exception itself (a 500 the API server logs) when it is no refusal. */
    static RuntimeException toApi(RuntimeException thrown, String hint) {
        return classify(thrown, hint).<RuntimeException>map(e -> e).orElse(thrown);
    }

    static RuntimeException toApi(RuntimeException thrown, String hint, Supplier<ApiException> notFound) {
        return classify(thrown, hint, notFound).<RuntimeException>map(e -> e).orElse(thrown);
    }

    /** Builds a command whose record checks its own fields; such a refusal is a 400 and orders nothing. */
    static <C> C build(java.util.function.Supplier<C> command) {
        try {
            return command.get();
        } catch (ApiException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage(), "nothing was ordered; correct the request and repeat");
        }
    }
}
