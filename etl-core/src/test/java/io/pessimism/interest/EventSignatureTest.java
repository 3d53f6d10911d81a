package io.pessimism.interest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventSignatureTest {

    @Test
    void topic0IsTheKeccak256OfTheCanonicalSignatureInLowercaseHex() {
        // ERC-20 Transfer and Approval, as every explorer shows them
        assertThat(EventSignature.topic0("Transfer(address,address,uint256)"))
                .isEqualTo("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
        assertThat(EventSignature.topic0("Approval(address,address,uint256)"))
                .isEqualTo("0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Transfer(address,address,uint256)", "Ping(address,uint256)", "Paused()", "E(bytes32,bytes,string,bool)",
        "E(uint8,int256,bytes1,function)", "E(uint256[],address[3][])", "E((uint256,address)[],(bool,(string)))",
        "E(fixed128x18,ufixed8x80)", "_e$1(int104)"})
    void canonicalSignaturesPass(String signature) {
        assertThat(EventSignature.problem(signature)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Transfer(address, address, uint256)|whitespace at index 17 (canonical: Transfer(address,address,uint256))",
        "Transfer(address indexed from,address to,uint256 value)|without names or 'indexed'",
        "Transfer(address,address,uint)|\"uint\" is not canonical, write uint256",
        "Transfer(address,address,int)|write int256",
        "E(byte)|write bytes1",
        "E(fixed)|write fixed128x18",
        "E(uint7)|a multiple of 8 in 8..256",
        "E(uint264)|a multiple of 8 in 8..256",
        "E(bytes33)|bytes<M> needs M in 1..32",
        "E(bytes0)|\"bytes0\" is not a Solidity ABI type",
        "E(fixed128x81)|N in 1..80",
        "E(address[0])|illegal array suffix",
        "E(address[01])|illegal array suffix",
        "E(address[)|\"address[\" is not a Solidity ABI type",
        "E(addr)|\"addr\" is not a Solidity ABI type",
        "E(address,)|parameter 1: an empty parameter type",
        "E(())|is not a tuple",
        "Transfer|expected Name(type,...)",
        "Transfer(address|expected Name(type,...)",
        "1Transfer(address)|event name \"1Transfer\" is not a Solidity identifier",
        "(address)|event name \"\" is not a Solidity identifier"})
    void nonCanonicalSignaturesAreRefusedNamingTheProblem(String signature, String problem) {
        assertThat(EventSignature.problem(signature)).hasValueSatisfying(p -> assertThat(p).contains(problem));
    }
}
