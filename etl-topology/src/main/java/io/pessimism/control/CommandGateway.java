package io.pessimism.control;

import io.pessimism.avro.PipelineCommand;
import io.pessimism.avro.PipelineCommandReply;

/** Sends a command to the single writer and returns its reply. */
public interface CommandGateway {

    /**
     * Sends {@code command} and waits, bounded, for the reply of its request id.
     *
     * @throws ControlPlaneUnavailable when the command could not be sent or no reply came in time
     */
    PipelineCommandReply send(PipelineCommand command);
}
