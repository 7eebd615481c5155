package io.zsentinel.projections.web;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The outcome of one named check behind {@code GET /health}; checks are plain {@code Supplier<Result>}s. */
public final class HealthCheck {
    private HealthCheck() {
    }

    /** {@code detail} is for the operator: what was checked, and what is wrong if it is down. */
    public record Result(@JsonIgnore boolean up, String detail) {
        public static Result up(String detail) {
            return new Result(true, detail);
        }

        public static Result down(String detail) {
            return new Result(false, detail);
        }

        @JsonProperty("status")
        public String status() {
            return up ? "UP" : "DOWN";
        }
    }
}
