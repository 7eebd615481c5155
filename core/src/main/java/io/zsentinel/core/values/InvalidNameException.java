package io.zsentinel.core.values;

/** A name that ZFS (or zsentinel) would not accept; the message says which name and why. */
public final class InvalidNameException extends IllegalArgumentException {
    public InvalidNameException(String what, String name, String reason) {
        // escaped: the message stays on one line even when the rejected name holds control characters
        super("invalid " + what + " \"" + PrintableText.escape(name) + "\": " + reason);
    }
}
