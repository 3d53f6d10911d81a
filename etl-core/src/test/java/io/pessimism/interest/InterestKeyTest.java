package io.pessimism.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.AddressInterest;
import io.pessimism.network.Network;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NotBlank;
import net.jqwik.api.constraints.NumericChars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InterestKeyTest {

    private static final String PUUID =
            "live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block:::0b4e7c1a-8f0e-4c53-9d6a-2f1e5b7c9a10";
    private static final String ADDRESS = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

    @Test
    void rendersAsPuuidAddressOwnerSeparatedByBars() {
        InterestKey key = new InterestKey(PUUID, ADDRESS, "alice");

        assertThat(key.render()).isEqualTo(PUUID + "|" + ADDRESS + "|alice").isEqualTo(key.toString());
        assertThat(key.render()).startsWith(InterestKey.pipelinePrefix(PUUID));
        assertThat(InterestKey.pipelinePrefix(PUUID)).isEqualTo(PUUID + "|");
    }

    @Test
    void anInterestIsKeyedByItsPuuidAddressAndOwner() {
        AddressInterest interest = new AddressInterest(PUUID, ADDRESS, "bob", List.of("Ping(address,uint256)"), 7L);

        assertThat(InterestKey.of(interest)).isEqualTo(new InterestKey(PUUID, ADDRESS, "bob"));
    }

    @Property(tries = 200)
    void parsesWhatItRenders(@ForAll @NotBlank @AlphaChars @NumericChars @Chars({' ', ':', '-', '.', '@'}) String owner) {
        InterestKey key = new InterestKey(PUUID, ADDRESS, owner);

        assertThat(InterestKey.parse(key.render())).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "no-separator", "only|one", "horizon|layer1"})
    void refusesAKeyWithoutThreePartsNamingIt(String key) {
        assertThatThrownBy(() -> InterestKey.parse(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interest key \"" + key + "\" is not <PUUID>|<address>|<owner>");
    }

    @Test
    void tellsAHorizonKeyFromAnInterestKey() {
        assertThat(InterestKey.isHorizon(InterestHorizon.key(Network.LAYER1))).isTrue();
        assertThat(InterestKey.isHorizon(InterestHorizon.key(Network.LAYER2))).isTrue();
        assertThat(InterestKey.isHorizon(new InterestKey(PUUID, ADDRESS, "horizon").render())).isFalse();
        assertThat(InterestKey.isHorizon("horizonless|" + ADDRESS + "|alice")).isFalse();
    }
}
