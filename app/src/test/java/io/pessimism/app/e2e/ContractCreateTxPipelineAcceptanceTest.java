package io.pessimism.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.api.PipelineView;
import io.pessimism.app.e2e.OutTopicReader.Keyed;
import io.pessimism.avro.ContractCreateTxOutput;
import io.pessimism.avro.ContractCreation;
import io.pessimism.avro.CreationKind;
import io.pessimism.client.PessimismClient;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.DevAccounts;
import io.pessimism.testkit.chain.Emitter;
import io.pessimism.testkit.chain.Factory;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A {@code contract_create_tx} pipeline as a risk engine uses it, on a KRaft broker, anvil and the
 * stack {@code pessimism dev} runs, its oracle tracing ({@code contract-creations=traces}):
 * deployments by an EOA and by a factory (CREATE, CREATE2, and one inside a reverted call) give
 * exactly the contracts created, at the receipts' addresses for the EOA's and at the factory's
 * (its Created events, code there) for the factory's. With the oracle's setting {@code off}, the
 * pipeline goes to ERROR naming the setting instead of leaving a deployment out.
 */
class ContractCreateTxPipelineAcceptanceTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    /** Up to: the branch starting (topics, start position, rebalance), then blocks through the oracle. */
    private static final Duration DELIVERY = Duration.ofSeconds(45);

    @TempDir
    Path stateRoot;

    private EtlStack stack(EmbeddedSchemaRegistry registry, String namespace, String creations) {
        return EtlStack.start(namespace, new EtlStack.Endpoints(KAFKA.bootstrapServers(), registry.url(),
                ANVIL.httpUrl(), ANVIL.wsUrl()), stateRoot, Map.of("networks.layer1.contract-creations", creations));
    }

    private static EmbeddedSchemaRegistry registry(String namespace) {
        return EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames(namespace + "-registry").schemas()).port(0).replicationFactor(1).build()
                .start();
    }

    /** A live contract_create_tx pipeline on layer1 from the block after the head, for {@code owner}. */
    private static PipelineCreated fromTheNextBlock(PessimismClient client, ChainDriver chain, String owner) {
        return client.createPipeline(new CreatePipelineRequest("layer1", "live", "contract_create_tx",
                chain.blockNumber() + 1, null, owner, List.of()));
    }

    @Test
    void theOutHoldsExactlyTheContractsCreatedByTheEoaAndByTheFactory() {
        try (EmbeddedSchemaRegistry registry = registry("creations");
             ChainDriver chain = ChainDriver.connect(ANVIL.httpUrl());
             EtlStack stack = stack(registry, "creations", "traces")) {
            PessimismClient client = PessimismClient.create(stack.startEtl("a").apiUrl(), Optional.empty());
            PipelineCreated pipeline = fromTheNextBlock(client, chain, "owner-c");
            assertThat(pipeline.topic()).isEqualTo("creations.live.layer1-contract_create_tx.layer1-geth_block.out");

            String eoa = DevAccounts.address(0).toLowerCase();
            TransactionReceipt factoryDeployment = chain.deploy(Factory.creationBytecode());
            String factory = factoryDeployment.getContractAddress().toLowerCase();
            TransactionReceipt byCreate = chain.send(DevAccounts.get(0), factory, BigInteger.ZERO,
                    Factory.createCall(BigInteger.ONE));
            byte[] salt = new byte[32];
            Arrays.fill(salt, (byte) 9);
            TransactionReceipt byCreate2 = chain.send(DevAccounts.get(0), factory, BigInteger.ZERO,
                    Factory.create2Call(BigInteger.TWO, salt));
            TransactionReceipt reverted = chain.send(DevAccounts.get(0), factory, BigInteger.ZERO,
                    Factory.createRevertedCall(BigInteger.valueOf(3)));
            chain.transfer("0x00000000000000000000000000000000000000b2", BigInteger.TEN);
            TransactionReceipt emitterDeployment = chain.deploy(Emitter.creationBytecode()); // the last creation
            String child = Factory.createdChildren(byCreate).get(0);
            String child2 = Factory.createdChildren(byCreate2).get(0);
            assertThat(Factory.createdChildren(reverted)).isEmpty();
            assertThat(List.of(factory, child, child2, emitterDeployment.getContractAddress()))
                    .allSatisfy(address -> assertThat(chain.code(address)).as("code at %s", address).isNotEqualTo("0x"));

            OutTopicReader<ContractCreateTxOutput> reader = new OutTopicReader<>(KAFKA.bootstrapServers(),
                    registry.url(), ContractCreateTxOutput.class);
            String emitter = emitterDeployment.getContractAddress().toLowerCase();
            List<Keyed<ContractCreateTxOutput>> out = reader.awaitKeyed(pipeline.topic(), "the Emitter's deployment",
                    r -> r.getValue() != null && r.getValue().getAddress().equals(emitter), DELIVERY);

            assertThat(out).extracting(r -> r.value().getValue()).extracting(ContractCreation::getAddress,
                    ContractCreation::getKind, ContractCreation::getCreator, ContractCreation::getDeployer,
                    ContractCreation::getTransactionHash, ContractCreation::getBlockNumber,
                    ContractCreation::getBlockHash)
                    .as("every contract created from the start, in order, nothing else")
                    .containsExactly(
                            tuple(factoryDeployment.getContractAddress().toLowerCase(), CreationKind.TRANSACTION, eoa,
                                    eoa, factoryDeployment.getTransactionHash(),
                                    factoryDeployment.getBlockNumber().longValueExact(), factoryDeployment.getBlockHash()),
                            tuple(child, CreationKind.CREATE, factory, eoa, byCreate.getTransactionHash(),
                                    byCreate.getBlockNumber().longValueExact(), byCreate.getBlockHash()),
                            tuple(child2, CreationKind.CREATE2, factory, eoa, byCreate2.getTransactionHash(),
                                    byCreate2.getBlockNumber().longValueExact(), byCreate2.getBlockHash()),
                            tuple(emitter, CreationKind.TRANSACTION, eoa, eoa, emitterDeployment.getTransactionHash(),
                                    emitterDeployment.getBlockNumber().longValueExact(), emitterDeployment.getBlockHash()));
            assertThat(out).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo(Long.toString(r.value().getValue().getBlockNumber()));
                assertThat(r.value().getValue().getNetwork()).isEqualTo("layer1");
                assertThat(r.value().getValue().getRemoved()).isFalse();
                assertThat(r.value().getEnvelope().getPuuid()).isEqualTo(pipeline.puuid());
                assertThat(r.value().getEnvelope().getRegister()).isEqualTo("contract_create_tx");
                assertThat(r.value().getEnvelope().getOwners()).as("for every owner").isEmpty();
                assertThat(r.value().getEnvelope().getBlockNumber()).isEqualTo(r.value().getValue().getBlockNumber());
            });
        }
    }

    @Test
    void withTheOraclesCreationsOffTheBranchStopsNamingTheSetting() {
        try (EmbeddedSchemaRegistry registry = registry("uncreated");
             ChainDriver chain = ChainDriver.connect(ANVIL.httpUrl());
             EtlStack stack = stack(registry, "uncreated", "off")) {
            PessimismClient client = PessimismClient.create(stack.startEtl("a").apiUrl(), Optional.empty());
            PipelineCreated pipeline = fromTheNextBlock(client, chain, "owner-o");
            String deployed = chain.deployFactory();

            PipelineView failed = await("the pipeline fails on the deployment of " + deployed).atMost(DELIVERY)
                    .until(() -> client.showPipeline(pipeline.puuid()),
                            p -> p.status() != null && p.status().state().equals("error"));
            assertThat(failed.status().reason()).contains("creates a contract but the block lists no created contracts",
                    "networks.layer1.contract-creations=off");
        }
    }
}
