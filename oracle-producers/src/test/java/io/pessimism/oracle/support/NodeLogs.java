package io.pessimism.oracle.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.Block;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/** Checks a written block's logs against the node's own answer, {@code eth_getLogs} by the block's hash. */
public final class NodeLogs {

    private NodeLogs() {
    }

    /** Fails unless {@code block}'s logs equal, in order, what the node returns for its hash. */
    public static void assertMatch(Web3j node, Block block) throws IOException {
        EthLog reply = node.ethGetLogs(new EthFilter(block.getHash())).send();
        assertThat(reply.hasError()).as("eth_getLogs of block %d %s: %s", block.getNumber(), block.getHash(),
                reply.hasError() ? reply.getError().getMessage() : "").isFalse();
        List<Log> expected = reply.getLogs().stream().map(r -> (Log) ((EthLog.LogObject) r)).toList();
        assertThat(block.getLogs()).as("logs of block %d %s", block.getNumber(), block.getHash())
                .hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Log want = expected.get(i);
            var got = block.getLogs().get(i);
            String where = "log " + i + " of block " + block.getNumber() + " " + block.getHash();
            assertThat(got.getAddress()).as(where).isEqualTo(want.getAddress().toLowerCase(Locale.ROOT));
            assertThat(got.getTopics()).as(where).isEqualTo(want.getTopics());
            assertThat(got.getData()).as(where).isEqualTo(want.getData());
            assertThat(got.getLogIndex()).as(where).isEqualTo(want.getLogIndex().intValueExact());
            assertThat(got.getTransactionHash()).as(where).isEqualTo(want.getTransactionHash());
        }
    }
}
