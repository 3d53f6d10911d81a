package io.pessimism.testkit.chain;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The testkit's contract factory ({@code contracts/Factory.sol}): its committed creation bytecode
 * and call-data encoders. Every call creates a {@code Child(tag)} from inside the call and emits
 * {@code Created(address indexed child, uint256 tag)}:
 *
 * <ul>
 *   <li>{@code create(tag)}: by CREATE</li>
 *   <li>{@code create2(tag, salt)}: by CREATE2</li>
 *   <li>{@code createReverted(tag)}: inside a call that reverts and is caught, so the transaction
 *       succeeds and the Child does not exist (nor its event)</li>
 * </ul>
 */
public final class Factory {

    public static final String CREATED_SIGNATURE = "Created(address,uint256)";
    /** keccak256 of {@link #CREATED_SIGNATURE}, 0x-prefixed lowercase hex: a Created log's topic 0. */
    public static final String CREATED_TOPIC = Hash.sha3String(CREATED_SIGNATURE);

    private static final String NAME = "Factory";

    private Factory() {
    }

    /** The creation bytecode, 0x-prefixed. */
    public static String creationBytecode() {
        return ContractFiles.creationBytecode(NAME);
    }

    /** The ABI as JSON. */
    public static String abiJson() {
        return ContractFiles.abiJson(NAME);
    }

    public static String createCall(BigInteger tag) {
        return ContractFiles.encode("create", new Uint256(tag));
    }

    /** @param salt 32 bytes */
    public static String create2Call(BigInteger tag, byte[] salt) {
        return ContractFiles.encode("create2", new Uint256(tag), new Bytes32(salt));
    }

    public static String createRevertedCall(BigInteger tag) {
        return ContractFiles.encode("createReverted", new Uint256(tag));
    }

    /** The children a transaction's receipt says the factory created, lowercase, in log order. */
    public static List<String> createdChildren(TransactionReceipt receipt) {
        return receipt.getLogs().stream()
                .filter(log -> !log.getTopics().isEmpty() && CREATED_TOPIC.equalsIgnoreCase(log.getTopics().get(0)))
                .map(Factory::child)
                .toList();
    }

    private static String child(Log log) {
        String topic = log.getTopics().get(1); // the indexed address, left-padded to 32 bytes
        return "0x" + topic.substring(topic.length() - 40).toLowerCase(Locale.ROOT);
    }
}
