package io.pessimism.testkit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.testkit.anvil.AnvilExtension;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/** Each test gets a fresh anvil (instance-field extension), so heights and balances are exact. */
class ChainDriverTest {

    @RegisterExtension
    final AnvilExtension anvil = AnvilExtension.create();

    private ChainDriver chain;

    @BeforeEach
    void connect() {
        chain = ChainDriver.connect(anvil.httpUrl());
    }

    @AfterEach
    void disconnect() {
        chain.close();
    }

    @Test
    void devAccountsAreTheOnesAnvilFunds() throws Exception {
        List<String> anvilAccounts = chain.web3j().ethAccounts().send().getAccounts();
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < DevAccounts.COUNT; i++) {
            ours.add(DevAccounts.address(i));
        }
        assertThat(ours).isEqualTo(anvilAccounts);
    }

    @Test
    void emittedPingLogCarriesTheContractAddressSignatureTopicAndData() {
        String contract = chain.deployEmitter();
        String who = DevAccounts.address(3);

        TransactionReceipt receipt = chain.emitPing(contract, who, BigInteger.valueOf(42));

        assertThat(receipt.getLogs()).hasSize(1);
        Log log = receipt.getLogs().get(0);
        assertThat(contract).matches("0x[0-9a-f]{40}");
        assertThat(log.getAddress()).isEqualToIgnoringCase(contract);
        assertThat(log.getTopics()).containsExactly(
                Hash.sha3String("Ping(address,uint256)"),
                "0x" + TypeEncoder.encode(new Address(who)));
        assertThat(log.getData()).isEqualTo("0x" + TypeEncoder.encode(new Uint256(42)));
    }

    @Test
    void transactionsInManyConsecutiveBlocksKeepAnAffordableGasPrice() {
        String contract = chain.deployEmitter();
        List<TransactionReceipt> receipts = new ArrayList<>();
        for (int i = 0; i < 60; i++) { // each in its own block (automine); 60 once ran out of 10,000 ETH
            receipts.add(chain.emitPing(contract, DevAccounts.address(1), BigInteger.valueOf(i)));
        }

        BigInteger first = Numeric.decodeQuantity(receipts.get(0).getEffectiveGasPrice());
        BigInteger last = Numeric.decodeQuantity(receipts.get(receipts.size() - 1).getEffectiveGasPrice());
        assertThat(last).as("the price paid does not feed back into the next block's price").isLessThanOrEqualTo(first);
    }

    @Test
    void eachEventShapeHasItsOwnSignatureTopic() {
        String contract = chain.deployEmitter();
        String a = DevAccounts.address(1);
        String b = DevAccounts.address(2);

        Log pong = chain.emitPong(contract, a, BigInteger.TEN).getLogs().get(0);
        Log transfer = chain.emitTransfer(contract, a, b, BigInteger.TWO).getLogs().get(0);

        assertThat(pong.getTopics()).containsExactly(Emitter.PONG_TOPIC);
        assertThat(pong.getData()).isEqualTo("0x" + TypeEncoder.encode(new Address(a)) + TypeEncoder.encode(new Uint256(10)));
        assertThat(transfer.getTopics()).containsExactly(Emitter.TRANSFER_TOPIC,
                "0x" + TypeEncoder.encode(new Address(a)), "0x" + TypeEncoder.encode(new Address(b)));
        assertThat(Emitter.TRANSFER_TOPIC)
                .isEqualTo("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"); // ERC-20 Transfer
        assertThat(List.of(Emitter.PING_TOPIC, Emitter.PONG_TOPIC, Emitter.TRANSFER_TOPIC)).doesNotHaveDuplicates();
    }

    @Test
    void oneTransactionCanEmitManyPings() {
        String contract = chain.deployEmitter();
        TransactionReceipt receipt = chain.emitPings(contract, DevAccounts.address(1), BigInteger.valueOf(100), 5);
        assertThat(receipt.getLogs()).extracting(l -> Numeric.toBigInt(l.getData()).intValue())
                .containsExactly(100, 101, 102, 103, 104);
    }

    @Test
    void fillBlocksPutsTheRequestedNumberOfTransactionsInEachNewBlock() {
        String contract = chain.deployEmitter();
        long before = chain.blockNumber();

        List<TransactionReceipt> receipts = chain.fillBlocks(contract, DevAccounts.address(1), 3, 20);

        assertThat(chain.blockNumber()).isEqualTo(before + 3);
        assertThat(receipts).hasSize(60).allSatisfy(r -> assertThat(r.isStatusOK()).isTrue());
        for (long n = before + 1; n <= before + 3; n++) {
            assertThat(chain.block(n).getTransactions()).hasSize(20);
        }
        assertThat(receipts).extracting(r -> Numeric.toBigInt(r.getLogs().get(0).getData()).intValue())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 60).boxed().toList());
        assertThat(chain.automine()).isTrue();
    }

    @Test
    void transferMovesExactlyTheWeiAskedFor() {
        String to = DevAccounts.address(5);
        BigInteger before = chain.balance(to);
        BigInteger wei = new BigInteger("1234567890123456789");

        TransactionReceipt receipt = chain.transfer(to, wei);

        assertThat(receipt.isStatusOK()).isTrue();
        assertThat(chain.balance(to)).isEqualTo(before.add(wei));
    }

    @Test
    void mineAdvancesTheHeightByExactlyN() {
        long before = chain.blockNumber();
        chain.mine(25);
        assertThat(chain.blockNumber()).isEqualTo(before + 25);
    }

    @Test
    void reorgReplacesTheLastBlocksAndKeepsTheHeight() {
        chain.mine(10);
        long head = chain.blockNumber();
        List<String> before = hashes(head - 3, head);

        chain.reorg(3);

        assertThat(chain.blockNumber()).isEqualTo(head);
        List<String> after = hashes(head - 3, head);
        assertThat(after.get(0)).as("common ancestor").isEqualTo(before.get(0));
        for (int i = 1; i <= 3; i++) {
            assertThat(after.get(i)).as("block %d", head - 3 + i).isNotEqualTo(before.get(i));
        }
        assertThat(chain.block(head - 2).getParentHash()).isEqualTo(before.get(0));
    }

    @Test
    void reorgIncludesTheGivenTransactionsInTheNewBranch() {
        String contract = chain.deployEmitter();
        chain.mine(5);
        long head = chain.blockNumber();
        String sender = DevAccounts.address(2);

        chain.reorg(3, List.of(
                BranchTx.call(sender, contract, Emitter.pingCall(sender, BigInteger.valueOf(7)), 0),
                BranchTx.transfer(sender, DevAccounts.address(6), BigInteger.valueOf(99), 2)));

        assertThat(chain.blockNumber()).isEqualTo(head);
        assertThat(chain.block(head - 2).getTransactions()).hasSize(1);
        assertThat(chain.block(head - 1).getTransactions()).isEmpty();
        assertThat(chain.block(head).getTransactions()).hasSize(1);
        String pingTx = (String) chain.block(head - 2).getTransactions().get(0).get();
        TransactionReceipt receipt = chain.receipts(List.of(pingTx)).get(0);
        assertThat(receipt.getLogs()).singleElement().satisfies(log -> {
            assertThat(log.getAddress()).isEqualToIgnoringCase(contract);
            assertThat(log.getTopics().get(0)).isEqualTo(Emitter.PING_TOPIC);
        });
    }

    @Test
    void reorgDeeperThanTheChainIsRejected() {
        chain.mine(2);
        assertThatThrownBy(() -> chain.reorg(5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reorg depth");
    }

    private List<String> hashes(long from, long to) {
        List<String> hashes = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            hashes.add(chain.blockHash(n));
        }
        return hashes;
    }
}
