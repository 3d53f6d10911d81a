package io.pessimism.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

    @Test
    void anAddressInAnyCaseIsNormalisedToLowercase() {
        assertThat(Addresses.normalise("0x5FbDB2315678afecb367f032d93F642f64180aa3"))
                .isEqualTo("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void aMissingAddressIsRefused(String address) {
        assertThatThrownBy(() -> Addresses.normalise(address))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an address is required (0x and 40 hex digits)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x5fbdb2315678afecb367f032d93f642f64180aa", "5fbdb2315678afecb367f032d93f642f64180aa3",
        "0x5fbdb2315678afecb367f032d93f642f64180ag3"})
    void aMalformedAddressIsRefusedSayingWhatWasExpected(String address) {
        assertThatThrownBy(() -> Addresses.normalise(address))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + address + "\" is not an address: expected 0x and 40 hex digits (20 bytes), got "
                        + address.length() + " characters");
    }
}
