package io.zsentinel.core.config;

import java.util.Objects;

/**
 * A setting refused by a rule that sees more than the value Jackson was reading (two settings together, a whole
 * list), so Jackson's position is not the setting's: the problem names the entry ({@code anchorKey: anchorValue},
 * such as {@code name: vm-storage}) and the key within it, and {@link ConfigFiles} reports that key's line.
 */
public class ConfigProblem extends IllegalArgumentException {
    private final String anchorKey;
    private final String anchorValue;
    private final String key;

    public ConfigProblem(String anchorKey, String anchorValue, String key, String message, Throwable cause) {
        super(message, cause);
        this.anchorKey = Objects.requireNonNull(anchorKey, "anchorKey");
        this.anchorValue = Objects.requireNonNull(anchorValue, "anchorValue");
        this.key = key;
    }

    public ConfigProblem(String anchorKey, String anchorValue, String key, String message) {
        this(anchorKey, anchorValue, key, message, null);
    }

    public String anchorKey() {
        return anchorKey;
    }

    public String anchorValue() {
        return anchorValue;
    }

    /** The key within the entry; null for the entry as a whole. */
    public String key() {
        return key;
    }
}
