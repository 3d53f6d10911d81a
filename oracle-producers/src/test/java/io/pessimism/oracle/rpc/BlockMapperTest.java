package io.pessimism.oracle.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pessimism.avro.Block;
import io.pessimism.avro.Transaction;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.ObjectMapperFactory;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

class BlockMapperTest {

    private static final ObjectMapper JSON = ObjectMapperFactory.getObjectMapper();
    private static final String HASH = "0x9c8a48e0757ce46539fb9c9f25c26adbc9abc94b94c6e6e0890643b954a55346";
    private static final String PARENT = "0xe1b87aac85b56092542cc6127fddec9062cc74a3dcb8c8d43e3488aabc583fb4";

    private static String block(String transactions, String extra) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"number\":\"0x1b4\",\"hash\":\"" + HASH + "\","
                + "\"parentHash\":\"" + PARENT + "\",\"timestamp\":\"0x6b06a7d9\","
                + "\"miner\":\"0xAbCdEf0000000000000000000000000000000001\",\"gasUsed\":\"0x5208\","
                + "\"gasLimit\":\"0x1c9c380\",\"stateRoot\":\"0xAA\",\"receiptsRoot\":\"0xbb\",\"logsBloom\":\"0x00\","
                + extra + "\"transactions\":[" + transactions + "]}}";
    }

    private static final String CREATION = "{\"hash\":\"0x01\",\"from\":\"0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266\","
            + "\"to\":null,\"value\":\"0xde0b6b3a7640000000\",\"nonce\":\"0x0\",\"gas\":\"0x5208\",\"input\":\"0x6080\","
            + "\"type\":\"0x2\",\"transactionIndex\":\"0x0\"}";
    private static final String LEGACY = "{\"hash\":\"0x02\",\"from\":\"0x0000000000000000000000000000000000000002\","
            + "\"to\":\"0x00000000000000000000000000000000000000Ff\",\"value\":\"0x0\",\"nonce\":\"0x7\","
            + "\"gas\":\"0x9c40\",\"input\":\"0x\",\"transactionIndex\":\"0x1\"}";

    private static EthBlock.Block parse(String json) throws Exception {
        return JSON.readValue(json, EthBlock.class).getBlock();
    }

    private static Log log(int index, String address) {
        return new Log(false, "0x" + Integer.toHexString(index), "0x1", "0x02", HASH, "0x1b4", address, "0xABCD",
                null, List.of("0x000000000000000000000000000000000000000000000000000000000000CAFE"));
    }

    @Test
    void mapsABlockExactlyWithLowercaseHexAndWeiAsDecimalStrings() throws Exception {
        Block block = BlockMapper.toAvro("layer1", parse(block(CREATION + "," + LEGACY, "\"baseFeePerGas\":\"0x342770c0\",")),
                List.of(log(1, "0x00000000000000000000000000000000000000Ff"), log(0, "0x00000000000000000000000000000000000000Ff")));

        assertThat(block.getNetwork()).isEqualTo("layer1");
        assertThat(block.getNumber()).isEqualTo(436);
        assertThat(block.getHash()).isEqualTo(HASH);
        assertThat(block.getParentHash()).isEqualTo(PARENT);
        assertThat(block.getMiner()).isEqualTo("0xabcdef0000000000000000000000000000000001");
        assertThat(block.getStateRoot()).isEqualTo("0xaa");
        assertThat(block.getBaseFeePerGas()).isEqualTo("875000000");
        assertThat(block.getRemoved()).isFalse();

        Transaction creation = block.getTransactions().get(0);
        assertThat(creation.getTo()).isNull();
        assertThat(creation.getFrom()).isEqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
        // 0xde0b6b3a7640000000 = 4096 ether: beyond a long, kept exact
        assertThat(creation.getValue()).isEqualTo("4096000000000000000000");
        assertThat(creation.getType()).isEqualTo(2);

        Transaction legacy = block.getTransactions().get(1);
        assertThat(legacy.getTo()).isEqualTo("0x00000000000000000000000000000000000000ff");
        assertThat(legacy.getType()).as("no type before EIP-2718 means legacy").isZero();
        assertThat(legacy.getNonce()).isEqualTo(7);
        assertThat(legacy.getTransactionIndex()).isEqualTo(1);

        assertThat(block.getLogs()).extracting(l -> l.getLogIndex()).containsExactly(0, 1);
        assertThat(block.getLogs().get(0).getTopics())
                .containsExactly("0x000000000000000000000000000000000000000000000000000000000000cafe");
        assertThat(block.getLogs().get(0).getData()).isEqualTo("0xabcd");
    }

    @Test
    void aBlockBeforeLondonHasNoBaseFee() throws Exception {
        Block block = BlockMapper.toAvro("layer1", parse(block("", "")), List.of());
        assertThat(block.getBaseFeePerGas()).isNull();
        assertThat(block.getTransactions()).isEmpty();
    }

    @Test
    void aMalformedFieldIsAnErrorNamingTheBlockAndTheField() throws Exception {
        EthBlock.Block bad = parse(block(LEGACY.replace("\"nonce\":\"0x7\"", "\"nonce\":\"seven\""), ""));
        assertThatThrownBy(() -> BlockMapper.toAvro("layer1", bad, List.of()))
                .isInstanceOf(NodeException.class)
                .hasMessageContaining("block 436")
                .hasMessageContaining("transaction 0x02 nonce")
                .hasMessageContaining("'seven'");

        EthBlock.Block noHash = parse(block("", "").replace("\"hash\":\"" + HASH + "\",", ""));
        assertThatThrownBy(() -> BlockMapper.toAvro("layer1", noHash, List.of()))
                .hasMessageContaining("block 436").hasMessageContaining("field hash is nothing");
    }

    @Test
    void transactionsAsHashesAreRefusedBecauseFullObjectsWereAskedFor() throws Exception {
        EthBlock.Block hashesOnly = parse(block("\"0x01\"", ""));
        assertThatThrownBy(() -> BlockMapper.toAvro("layer1", hashesOnly, List.of()))
                .hasMessageContaining("eth_getBlockByNumber for block 436").hasMessageContaining("hashes");
    }

    @Test
    void onlyAnAllZeroBloomMeansNoLogs() {
        assertThat(BlockMapper.bloomIsEmpty("0x" + "0".repeat(512))).isTrue();
        assertThat(BlockMapper.bloomIsEmpty("0x" + "0".repeat(511) + "1")).isFalse();
        assertThat(BlockMapper.bloomIsEmpty(null)).as("unknown bloom: ask for the logs").isFalse();
    }

    @Test
    void logsParsedByWeb3jMapToo() throws Exception {
        EthLog logs = JSON.readValue("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[{\"address\":\"0xAB\",\"topics\":[],"
                + "\"data\":\"0x\",\"blockHash\":\"" + HASH + "\",\"transactionHash\":\"0x05\",\"transactionIndex\":\"0x3\","
                + "\"logIndex\":\"0x9\",\"removed\":false}]}", EthLog.class);
        Block block = BlockMapper.toAvro("layer2", parse(block("", "")),
                List.of((Log) logs.getLogs().get(0)));
        assertThat(block.getLogs()).singleElement().satisfies(l -> {
            assertThat(l.getAddress()).isEqualTo("0xab");
            assertThat(l.getTransactionIndex()).isEqualTo(3);
            assertThat(l.getLogIndex()).isEqualTo(9);
        });
    }
}
