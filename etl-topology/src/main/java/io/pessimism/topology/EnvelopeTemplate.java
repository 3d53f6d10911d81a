package io.pessimism.topology;

import io.pessimism.avro.Envelope;
import io.pessimism.component.ComponentNode;
import java.util.List;

/**
 * The seed's HeuristicInput envelope for one component of one branch: the pipeline's fields are
 * fixed once, each record adds its owners, address, cursor and times.
 */
public final class EnvelopeTemplate {

    private final String puuid;
    private final String pipelinePid;
    private final String network;
    private final String register;

    public EnvelopeTemplate(ComponentContext context) {
        this(context.branch(), context.node());
    }

    /** The envelope of {@code node}'s records in {@code branch}. */
    public EnvelopeTemplate(BranchDefinition branch, ComponentNode node) {
        this.puuid = branch.puuid();
        this.pipelinePid = branch.pipelinePid();
        this.network = node.network().label();
        this.register = node.register().name();
    }

    /**
     * @param owners    the owners the record is for, and only they
     * @param address   lowercase hex for an addressable register, else null
     * @param originTs  the source record's timestamp (ms), when the oracle produced it
     * @param timestamp now (ms), when this record is emitted
     */
    public Envelope envelope(Cursor cursor, String address, List<String> owners, long originTs, long timestamp) {
        Envelope envelope = new Envelope();
        envelope.setPuuid(puuid);
        envelope.setPipelinePid(pipelinePid);
        envelope.setOwners(owners);
        envelope.setNetwork(network);
        envelope.setRegister(register);
        envelope.setOriginTs(originTs);
        envelope.setTimestamp(timestamp);
        envelope.setAddress(address);
        envelope.setBlockNumber(cursor.blockNumber());
        envelope.setBlockHash(cursor.blockHash());
        envelope.setFinalizedHeight(null); // finality tracking is not wired yet (DESIGN.md §5)
        envelope.setRemoved(cursor.removed());
        return envelope;
    }
}
