package io.zsentinel.core.config;

/** A configuration the operator must fix: the message names the file, the line and the reason. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
