package io.zsentinel.deploy.lab;

/** The lab cannot start or act; the message says why and what to do. */
public class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
