package io.pessimism.app.cli;

/**
 * Thrown by a command whose service is not part of this build yet, so that it fails loudly with
 * the issue that brings it instead of pretending to work.
 */
final class NotYetAvailable extends UnsupportedOperationException {

    NotYetAvailable(String command, String issue) {
        super("'" + command + "' is not available in this build yet (it arrives with " + issue + ")");
    }
}
