package io.zsentinel.deploy.operator;

import io.zsentinel.projections.web.ApiException;
import org.axonframework.modelling.command.AggregateNotFoundException;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns what {@code sendAndWait} throws into the answer the operator reads. The Dataset rules refuse
 * with IllegalStateException (the command conflicts with the dataset's state: 409) or
 * IllegalArgumentException (the command itself is wrong: 400); Axon hands them over as they are on
 * a local bus and wrapped in a CommandExecutionException on a distributed one, so the cause chain is
 * searched. Their message is passed on verbatim: it says what would be destroyed and how to proceed.
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
            if (t instanceof IllegalStateException) {
                return Optional.of(new ApiException(409, t.getMessage(), "nothing was ordered; " + hint));
            }
            if (t instanceof IllegalArgumentException) {
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
