package io.pessimism.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventSignaturesTest {

    @Test
    void topic0IsTheKeccak256OfTheCanonicalSignatureInLowercaseHex() {
        // ERC-20 Transfer and Approval, as every explorer shows them
        assertThat(EventSignatures.topic0("Transfer(address,address,uint256)"))
                .isEqualTo("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
        assertThat(EventSignatures.topic0("Approval(address,address,uint256)"))
                .isEqualTo("0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925");
    }
}
