package io.zsentinel.deploy.lab;

/** The lab cannot start; the message says why and what to do. */
public class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }
}
