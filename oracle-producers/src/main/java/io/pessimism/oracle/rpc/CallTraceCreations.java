package io.pessimism.oracle.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.pessimism.avro.CreatedContract;
import io.pessimism.avro.CreationKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlock.TransactionObject;

/**
 * Reads the contracts a block created from its call trace, {@code debug_traceBlockByHash(hash,
 * {"tracer": "callTracer"})} (geth, anvil; one frame tree per transaction, in block order). Every
 * CREATE or CREATE2 frame that did not fail is a created contract: the top frame of a
 * contract-creating transaction (kind TRANSACTION, its creator the sender), and the frames inside
 * calls (a factory's, its creator the frame's {@code from}), depth first in execution order. A frame
 * with an {@code error} reverted, and everything created under it was undone, so its subtree is
 * left out.
 *
 * <p>Anything unexpected is a {@link NodeException} naming the block: a node without the debug
 * namespace, a reply that is not one trace per transaction, a trace of another transaction, a
 * creation frame without its address. Never an empty list in place of an answer.
 */
final class CallTraceCreations {

    static final String METHOD = "debug_traceBlockByHash";
    /** The tracer options of the request. */
    static final Map<String, String> CALL_TRACER = Map.of("tracer", "callTracer");

    private static final String CREATE = "CREATE";
    private static final String CREATE2 = "CREATE2";

    /** The reply, kept as a JSON tree: web3j has no type for call traces. */
    public static final class Reply extends Response<JsonNode> {
    }

    private CallTraceCreations() {
    }

    /**
     * @param transactions the block's transactions, in block order
     * @throws NodeException naming the block and what is wrong with the reply
     */
    static List<CreatedContract> read(long height, String blockHash, List<TransactionObject> transactions,
            Reply reply) {
        String where = "blockHash " + blockHash + ": ";
        if (reply.hasError()) {
            throw NodeException.at(METHOD, height, where + "RPC error " + reply.getError().getCode() + " "
                    + reply.getError().getMessage() + " (contract-creations=traces needs a node with the debug "
                    + "namespace and its callTracer)");
        }
        JsonNode traces = reply.getResult();
        if (traces == null || !traces.isArray()) {
            throw NodeException.at(METHOD, height, where + "expected an array of traces, got " + abbreviate(traces));
        }
        if (traces.size() != transactions.size()) {
            throw NodeException.at(METHOD, height, where + traces.size() + " traces for " + transactions.size()
                    + " transactions");
        }
        List<CreatedContract> created = new ArrayList<>();
        for (int i = 0; i < transactions.size(); i++) {
            TransactionObject tx = transactions.get(i);
            String hash = BlockMapper.hex(tx.getHash(), height, "transaction hash");
            JsonNode trace = traces.get(i);
            JsonNode traced = trace.get("txHash");
            if (traced != null && !traced.isNull() && !hash.equalsIgnoreCase(traced.asText())) {
                throw NodeException.at(METHOD, height, where + "trace " + i + " is of transaction " + traced.asText()
                        + ", expected " + hash);
            }
            JsonNode error = trace.get("error");
            if (error != null && !error.isNull()) {
                throw NodeException.at(METHOD, height, where + "transaction " + hash + " could not be traced: " + error);
            }
            JsonNode top = trace.get("result");
            if (top == null || !top.isObject()) {
                throw NodeException.at(METHOD, height, where + "transaction " + hash + " has no call frame: "
                        + abbreviate(trace));
            }
            int index = BlockMapper.quantity(tx.getTransactionIndexRaw(), height,
                    "transaction " + hash + " transactionIndex").intValueExact();
            collect(new Frames(height, where, hash, index), top, true, created);
        }
        return created;
    }

    /** Where the frames being read come from, for the records and the errors. */
    private record Frames(long height, String where, String txHash, int txIndex) {
    }

    private static void collect(Frames frames, JsonNode frame, boolean top, List<CreatedContract> created) {
        JsonNode error = frame.get("error");
        if (error != null && !error.isNull()) {
            return; // reverted: nothing it or its callees created exists
        }
        String type = text(frames, frame, "type");
        if (CREATE.equals(type) || CREATE2.equals(type)) {
            CreationKind kind = top ? CreationKind.TRANSACTION
                    : CREATE.equals(type) ? CreationKind.CREATE : CreationKind.CREATE2;
            String field = "transaction " + frames.txHash() + " " + type + " frame ";
            created.add(CreatedContract.newBuilder()
                    .setTransactionHash(frames.txHash())
                    .setTransactionIndex(frames.txIndex())
                    .setCreator(BlockMapper.hex(text(frames, frame, "from"), frames.height(), field + "from"))
                    .setAddress(BlockMapper.hex(text(frames, frame, "to"), frames.height(), field + "to"))
                    .setKind(kind)
                    .build());
        }
        JsonNode calls = frame.get("calls");
        if (calls != null && calls.isArray()) {
            for (JsonNode call : calls) {
                collect(frames, call, false, created);
            }
        }
    }

    private static String text(Frames frames, JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || !value.isTextual()) {
            throw NodeException.at(METHOD, frames.height(), frames.where() + "a call frame of transaction "
                    + frames.txHash() + " has no " + field + ": " + abbreviate(frame));
        }
        return value.asText();
    }

    private static String abbreviate(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
