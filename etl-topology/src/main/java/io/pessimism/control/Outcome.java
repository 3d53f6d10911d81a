package io.pessimism.control;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.interest.InterestKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    private final List<Map.Entry<String, AddressInterest>> reserved = new ArrayList<>();
    private PipelineCommandReply reply;

    void spec(PipelineSpec spec) {
        specs.add(spec);
    }

    void interest(InterestKey key, AddressInterest interest) {
        interests.add(new InterestChange(key, interest));
    }

    /** A record of the control plane's own on {@code <ns>.state} (a merge fence; null withdraws it). */
    void reserved(String key, AddressInterest value) {
        reserved.add(new java.util.AbstractMap.SimpleImmutableEntry<>(key, value));
    }

    List<Map.Entry<String, AddressInterest>> reserved() {
        return reserved;
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
