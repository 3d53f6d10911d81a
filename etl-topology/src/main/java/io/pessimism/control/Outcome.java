package io.pessimism.control;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.interest.InterestKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What applying one command emits, in order: spec changes to {@code <ns>.pipelines}, interest
 * changes to {@code <ns>.state} (a null interest is a tombstone), then the reply.
 */
final class Outcome {

    /** One interest change: the new interest, or null to withdraw it. */
    record InterestChange(InterestKey key, AddressInterest interest) {
    }

    private final List<PipelineSpec> specs = new ArrayList<>();
    private final List<InterestChange> interests = new ArrayList<>();
    private PipelineCommandReply reply;

    void spec(PipelineSpec spec) {
        specs.add(spec);
    }

    void interest(InterestKey key, AddressInterest interest) {
        interests.add(new InterestChange(key, interest));
    }

    Outcome reply(PipelineCommandReply reply) {
        this.reply = reply;
        return this;
    }

    List<PipelineSpec> specs() {
        return specs;
    }

    List<InterestChange> interests() {
        return interests;
    }

    PipelineCommandReply reply() {
        return reply;
    }
}
