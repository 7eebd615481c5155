package io.zsentinel.core.messages.agentcommands;

import java.util.regex.Pattern;

/** zsentinel's hold tags: {@code zsentinel:<purpose>[:<target>]}, short and shell-safe. */
public final class HoldTags {
    private static final Pattern VALID = Pattern.compile("zsentinel(:[A-Za-z0-9._-]{1,63}){1,3}");

    private HoldTags() {
    }

    public static String check(String tag) {
        if (tag == null || !VALID.matcher(tag).matches()) {
            throw new IllegalArgumentException("invalid hold tag \"" + tag
                    + "\": expected zsentinel:<purpose>[:<target>] of letters, digits, '.', '_' and '-'");
        }
        return tag;
    }
}
