package io.zsentinel.core.values;

/** A name that ZFS (or zsentinel) would not accept; the message says which name and why. */
public final class InvalidNameException extends IllegalArgumentException {
    public InvalidNameException(String what, String name, String reason) {
        super("invalid " + what + " \"" + printable(name) + "\": " + reason);
    }

    /** Keeps the message on one line even when the rejected name holds control characters. */
    private static String printable(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
