package io.pessimism.interest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.AddressInterest;
import io.pessimism.network.Network;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterestHorizonTest {

    @Test
    void aNetworksHorizonHasTheReservedKey() {
        assertThat(InterestHorizon.key(Network.LAYER1)).isEqualTo("horizon|layer1");
        assertThat(InterestHorizon.key(Network.LAYER2)).isEqualTo("horizon|layer2");
    }

    @Test
    void theRecordCarriesTheHeightAsItsEffectiveFrom() {
        assertThat(InterestHorizon.record(Network.LAYER2, 42))
                .isEqualTo(new AddressInterest("horizon", "layer2", "", List.of(), 42L));
    }

    @Test
    void readsTheHorizonOfANetworkFromAnyLookup() {
        Map<String, AddressInterest> state = new HashMap<>();
        assertThat(InterestHorizon.of(state::get, Network.LAYER1)).isEqualTo(-1);

        state.put(InterestHorizon.key(Network.LAYER1), InterestHorizon.record(Network.LAYER1, 17));

        assertThat(InterestHorizon.of(state::get, Network.LAYER1)).isEqualTo(17);
        assertThat(InterestHorizon.of(state::get, Network.LAYER2)).isEqualTo(-1);
    }
}
