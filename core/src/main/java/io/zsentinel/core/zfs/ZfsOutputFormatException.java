package io.zsentinel.core.zfs;

/** zfs printed something the parsers do not understand: a zfs version zsentinel was not tested with. */
public final class ZfsOutputFormatException extends RuntimeException {
    public ZfsOutputFormatException(String what, String line, String reason) {
        super("cannot read " + what + " line \"" + line + "\": " + reason
                + ". This zfs version prints an unexpected format; report it with `zfs version` output");
    }

    public ZfsOutputFormatException(String what, String line, Throwable cause) {
        this(what, line, cause.getMessage());
        initCause(cause);
    }
}
