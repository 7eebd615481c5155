package io.zsentinel.projections.web;

/** A request the API refuses, with what went wrong and what the caller can do about it. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String hint;

    public ApiException(int status, String error, String hint) {
        super(error, null, false, false);
        this.status = status;
        this.hint = hint;
    }

    public static ApiException badRequest(String error, String hint) {
        return new ApiException(400, error, hint);
    }

    public static ApiException notFound(String error, String hint) {
        return new ApiException(404, error, hint);
    }

    public int status() {
        return status;
    }

    public String hint() {
        return hint;
    }
}
