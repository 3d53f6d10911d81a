package io.pessimism.control;

/** The control plane could not be reached or did not answer in time (the API answers 503). */
public final class ControlPlaneUnavailable extends RuntimeException {

    public ControlPlaneUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
