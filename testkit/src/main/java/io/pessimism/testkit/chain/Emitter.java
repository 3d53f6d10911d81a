package io.pessimism.testkit.chain;

import java.math.BigInteger;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;

/**
 * The testkit's event-emitting contract ({@code contracts/Emitter.sol}): its committed creation
 * bytecode and ABI, its event signatures and topics, and call-data encoders for its functions.
 *
 * <ul>
 *   <li>{@code Ping(address indexed who, uint256 value)}: topics [PING_TOPIC, who], data = value</li>
 *   <li>{@code Pong(address who, uint256 value)}: topics [PONG_TOPIC], data = who ++ value</li>
 *   <li>{@code Transfer(address indexed from, address indexed to, uint256 value)}:
 *       topics [TRANSFER_TOPIC, from, to], data = value (the ERC-20 shape)</li>
 * </ul>
 */
public final class Emitter {

    public static final String PING_SIGNATURE = "Ping(address,uint256)";
    public static final String PONG_SIGNATURE = "Pong(address,uint256)";
    public static final String TRANSFER_SIGNATURE = "Transfer(address,address,uint256)";
    /** keccak256 of the event signatures, 0x-prefixed lowercase hex: a log's topic 0. */
    public static final String PING_TOPIC = Hash.sha3String(PING_SIGNATURE);
    public static final String PONG_TOPIC = Hash.sha3String(PONG_SIGNATURE);
    public static final String TRANSFER_TOPIC = Hash.sha3String(TRANSFER_SIGNATURE);

    private static final String NAME = "Emitter";

    private Emitter() {
    }

    /** The creation bytecode, 0x-prefixed. */
    public static String creationBytecode() {
        return ContractFiles.creationBytecode(NAME);
    }

    /** The ABI as JSON. */
    public static String abiJson() {
        return ContractFiles.abiJson(NAME);
    }

    public static String pingCall(String who, BigInteger value) {
        return encode("ping", new Address(who), new Uint256(value));
    }

    public static String pongCall(String who, BigInteger value) {
        return encode("pong", new Address(who), new Uint256(value));
    }

    public static String transferCall(String from, String to, BigInteger value) {
        return encode("transfer", new Address(from), new Address(to), new Uint256(value));
    }

    /** {@code count} Ping events with values firstValue, firstValue+1, ... in one call. */
    public static String pingManyCall(String who, BigInteger firstValue, int count) {
        return encode("pingMany", new Address(who), new Uint256(firstValue), new Uint256(count));
    }

    private static String encode(String name, Type<?>... args) {
        return ContractFiles.encode(name, args);
    }
}
