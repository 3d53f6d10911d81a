package io.pessimism.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pessimism.avro.PipelineRequest;
import io.pessimism.network.Network;
import io.pessimism.registry.Registry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Interests by register: an event_log interest names the event signatures to match, checked; an
 * account_balance interest is an address only, and signatures sent with it are refused naming the
 * field, on a create and on {@code PUT .../addresses/{address}}.
 */
class RequestValidatorTest {

    private static final String UUID = ":::0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final String BALANCES = "live::layer1:live:oracle:account_balance::layer1:live:oracle:account_balance"
            + UUID;
    private static final String EVENTS = "live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block" + UUID;
    private static final String A = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    private static final String B = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";

    private final RequestValidator validator = new RequestValidator(Registry.standard(), Set.of(Network.LAYER1));

    private static CreatePipelineRequest create(String register, CreatePipelineRequest.Interest... interests) {
        return new CreatePipelineRequest("layer1", "live", register, null, null, "risk-1", Arrays.asList(interests));
    }

    private static Problem refusal(Runnable request) {
        ProblemException refused = catchThrowableOfType(request::run, ProblemException.class);
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.problem().status()).isEqualTo(400);
        return refused.problem();
    }

    @Test
    void anAccountBalanceInterestIsAnAddressWithoutSignatures() {
        PipelineRequest request = validator.create(create("account_balance",
                new CreatePipelineRequest.Interest(A, null), new CreatePipelineRequest.Interest(B, List.of())));

        assertThat(request.getInterests()).isEqualTo(Map.of(A.toLowerCase(), List.of(), B, List.of()));
        assertThat(validator.interest(BALANCES, A, new InterestRequest(null, "risk-2"), true).signatures()).isEmpty();
        assertThat(validator.interest(BALANCES, A, new InterestRequest(List.of(), "risk-2"), true).signatures())
                .isEmpty();
    }

    @Test
    void signaturesSentWithAnAccountBalanceInterestAreRefusedNamingTheField() {
        Problem create = refusal(() -> validator.create(create("account_balance",
                new CreatePipelineRequest.Interest(A, List.of()),
                new CreatePipelineRequest.Interest(B, List.of("Transfer(address,address,uint256)")))));
        assertThat(create.field()).isEqualTo("interests[1].signatures");
        assertThat(create.detail()).contains("register account_balance watches addresses, not events")
                .contains("registers matching event signatures: event_log");

        Problem put = refusal(() -> validator.interest(BALANCES, A, new InterestRequest(List.of("Ping()"), "o"), true));
        assertThat(put.field()).isEqualTo("signatures");
        assertThat(put.detail()).contains("takes no signatures");
    }

    @Test
    void eventLogInterestsKeepTheirSignaturesChecked() {
        PipelineRequest request = validator.create(create("event_log",
                new CreatePipelineRequest.Interest(A, List.of("Ping(address,uint256)"))));
        assertThat(request.getInterests()).isEqualTo(Map.of(A.toLowerCase(), List.of("Ping(address,uint256)")));

        assertThat(refusal(() -> validator.create(create("event_log",
                new CreatePipelineRequest.Interest(A, List.of("Ping(address, uint256)"))))).field())
                .isEqualTo("interests[0].signatures[0]");
        assertThat(refusal(() -> validator.interest(EVENTS, A, new InterestRequest(List.of("Ping(uint)"), "o"), true))
                .field()).isEqualTo("signatures[0]");
        assertThat(validator.interest(EVENTS, A, new InterestRequest(List.of("Ping()"), "o"), true).signatures())
                .containsExactly("Ping()");
    }

    @Test
    void withdrawingAnAccountBalanceInterestNeedsNoSignatures() {
        var interest = validator.interest(BALANCES, A, new InterestRequest(null, "o"), false);
        assertThat(interest.address()).isEqualTo(A.toLowerCase());
        assertThat(interest.signatures()).isEmpty();
    }
}
