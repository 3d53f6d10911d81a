package io.pessimism.api;

import io.pessimism.avro.PipelineCommand;
import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.control.CommandGateway;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A gateway that records the commands sent and answers with a given function. */
final class RecordingGateway implements CommandGateway {

    private final List<PipelineCommand> sent = new CopyOnWriteArrayList<>();
    private volatile Function<PipelineCommand, PipelineCommandReply> answer;

    RecordingGateway(Function<PipelineCommand, PipelineCommandReply> answer) {
        this.answer = answer;
    }

    void answer(Function<PipelineCommand, PipelineCommandReply> answer) {
        this.answer = answer;
    }

    @Override
    public PipelineCommandReply send(PipelineCommand command) {
        sent.add(command);
        return answer.apply(command);
    }

    List<PipelineCommand> sent() {
        return List.copyOf(sent);
    }
}
