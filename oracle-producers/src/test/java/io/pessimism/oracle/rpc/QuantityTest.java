package io.pessimism.oracle.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

class QuantityTest {

    @Test
    void decodesHexQuantitiesLikeWeb3j() {
        for (String value : new String[] {"0x0", "0x1", "0xff", "0xFF", "0x00ff", "0x7fffffffffffffff",
                "0xde0b6b3a7640000", "0x8000000000000000", "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffff"}) {
            assertThat(Quantity.decode(value)).as(value).isEqualTo(Numeric.decodeQuantity(value));
        }
        assertThat(Quantity.decode("0x" + "f".repeat(64))).isEqualTo(BigInteger.TWO.pow(256).subtract(BigInteger.ONE));
    }

    @Test
    void refusesWhatIsNotAHexQuantity() {
        for (String value : new String[] {null, "", "0x", "12", "ff", "0xg1", "0x-1", "0x 1", "x01", "0x١"}) {
            assertThatThrownBy(() -> Quantity.decode(value)).as(String.valueOf(value))
                    .isInstanceOf(NumberFormatException.class);
        }
    }
}
