package io.pessimism.api;

import io.pessimism.avro.PipelineRequest;
import io.pessimism.id.PUUID;
import io.pessimism.interest.Addresses;
import io.pessimism.interest.EventSignature;
import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks requests completely before anything is stored (DESIGN.md §6): each failure is a 400
 * problem naming the field ({@code register}, {@code interests[0].signatures[1]}, …) and saying
 * what is wrong and what would be right. Returns the normalised request (addresses lowercase).
 */
public final class RequestValidator {

    /** Longest owner id; owners appear in interest keys and in every output record. */
    public static final int MAX_OWNER_LENGTH = 200;

    // '|' separates the parts of an interest key <PUUID>|<address>|<owner> (InterestKey).
    private static final Pattern OWNER = Pattern.compile("[^|\\p{Cntrl}]+");

    private final Registry registry;
    private final Set<Network> networks;

    /** @param networks the networks this deployment serves (the others are refused) */
    public RequestValidator(Registry registry, Set<Network> networks) {
        this.registry = registry;
        this.networks = Set.copyOf(networks);
    }

    /** A validated create request, ready to become a CREATE command. */
    public PipelineRequest create(CreatePipelineRequest request) {
        if (request == null) {
            throw Problems.malformedJson("the body must be a JSON object describing the pipeline", null);
        }
        Network network = network(request.network());
        PipelineType type = type(request.type());
        Register register = register(request.register());
        String owner = owner("owner", request.owner());
        checkHeights(type, request.startHeight(), request.endHeight());
        Map<String, List<String>> interests = interests(register, request.interests());
        return PipelineRequest.newBuilder()
                .setNetwork(network.label())
                .setType(type == PipelineType.LIVE ? io.pessimism.avro.PipelineType.LIVE
                        : io.pessimism.avro.PipelineType.BACKTEST)
                .setRegister(register.name())
                .setStartHeight(request.startHeight())
                .setEndHeight(request.endHeight())
                .setOwner(owner)
                .setInterests(interests)
                .build();
    }

    /** A validated interest of {@code owner} in {@code address} on pipeline {@code puuid}. */
    public Interest interest(String puuidText, String address, InterestRequest body, boolean withSignatures) {
        PUUID puuid = puuid(puuidText);
        Register register = puuid.pid().register();
        if (!register.addressable()) {
            throw Problems.invalidField("address", "pipeline " + puuid + " computes register "
                    + register.name() + ", which takes no addresses; addressable registers: " + addressable());
        }
        String normalised = address("address", address);
        if (body == null) {
            throw Problems.malformedJson("the body must be a JSON object {\"owner\": ..."
                    + (withSignatures ? ", \"signatures\": [...]}" : "}"), null);
        }
        String owner = owner("owner", body.owner());
        List<String> signatures = withSignatures ? signatures("signatures", body.signatures()) : List.of();
        return new Interest(puuid, normalised, owner, signatures);
    }

    /** A PUUID from a path; a malformed one is a 404 (no pipeline can have it). */
    public PUUID puuid(String text) {
        try {
            return PUUID.parse(text, registry);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of("unknown-pipeline", "Unknown pipeline", 404,
                    "no pipeline has PUUID " + text + ": " + e.getMessage(), "puuid"));
        }
    }

    /** An owner id: non-blank, at most {@value #MAX_OWNER_LENGTH} characters, no '|' or control characters. */
    public String owner(String field, String owner) {
        if (owner == null || owner.isBlank()) {
            throw Problems.invalidField(field, "an owner (the heuristic session asking) is required");
        }
        if (owner.length() > MAX_OWNER_LENGTH) {
            throw Problems.invalidField(field, "has " + owner.length() + " characters, at most "
                    + MAX_OWNER_LENGTH + " allowed");
        }
        if (!OWNER.matcher(owner).matches() || !owner.equals(owner.strip())) {
            throw Problems.invalidField(field, "\"" + owner + "\" must not contain '|' or control characters"
                    + " or start or end with whitespace");
        }
        return owner;
    }

    /** A validated interest request. */
    public record Interest(PUUID puuid, String address, String owner, List<String> signatures) {
    }

    private Network network(String text) {
        String valid = networks.stream().sorted().map(Network::label).collect(Collectors.joining(", "));
        if (text == null || text.isBlank()) {
            throw Problems.invalidField("network", "is required; served networks: " + valid);
        }
        Network network;
        try {
            network = Network.parse(text);
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField("network", "unknown network \"" + text + "\"; served networks: " + valid);
        }
        if (!networks.contains(network)) {
            throw Problems.invalidField("network", "network " + network.label()
                    + " is not enabled here (networks." + network.label() + ".enabled); served networks: " + valid);
        }
        return network;
    }

    private static PipelineType type(String text) {
        if (text == null) {
            return PipelineType.LIVE;
        }
        try {
            return PipelineType.parse(text);
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField("type", "unknown pipeline type \"" + text + "\"; valid values: live, backtest");
        }
    }

    private Register register(String name) {
        if (name == null || name.isBlank()) {
            throw Problems.invalidField("register", "is required; known registers: " + String.join(", ", registry.names()));
        }
        return registry.find(name).orElseThrow(() -> Problems.invalidField("register",
                "unknown register \"" + name + "\"; known registers: " + String.join(", ", registry.names())));
    }

    private static void checkHeights(PipelineType type, Long start, Long end) {
        if (start != null && start < 0) {
            throw Problems.invalidField("startHeight", "must be >= 0, was " + start);
        }
        if (end != null && end < 0) {
            throw Problems.invalidField("endHeight", "must be >= 0, was " + end);
        }
        if (type == PipelineType.BACKTEST) {
            if (start == null) {
                throw Problems.invalidField("startHeight", "a backtest needs startHeight and endHeight");
            }
            if (end == null) {
                throw Problems.invalidField("endHeight", "a backtest needs startHeight and endHeight");
            }
        } else if (end != null) {
            throw Problems.invalidField("endHeight", "a live pipeline follows the head and has no end;"
                    + " use type backtest for a bounded range");
        }
        if (start != null && end != null && start > end) {
            throw Problems.invalidField("startHeight", "startHeight " + start + " is after endHeight " + end);
        }
    }

    private Map<String, List<String>> interests(Register register, List<CreatePipelineRequest.Interest> interests) {
        if (interests.isEmpty()) {
            return Map.of();
        }
        if (!register.addressable()) {
            throw Problems.invalidField("interests", "register " + register.name()
                    + " takes no addresses; addressable registers: " + addressable());
        }
        Map<String, List<String>> byAddress = new LinkedHashMap<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < interests.size(); i++) {
            String field = "interests[" + i + "]";
            CreatePipelineRequest.Interest interest = interests.get(i);
            if (interest == null) {
                throw Problems.invalidField(field, "must be an object {\"address\": ..., \"signatures\": [...]}");
            }
            String address = address(field + ".address", interest.address());
            Integer earlier = firstIndex.putIfAbsent(address, i);
            if (earlier != null) {
                throw Problems.invalidField(field + ".address", "address " + address
                        + " is already listed at interests[" + earlier + "]; list its signatures once");
            }
            byAddress.put(address, signatures(field + ".signatures", interest.signatures()));
        }
        return byAddress;
    }

    /** The lowercase address, or a 400 problem naming {@code field}. */
    private static String address(String field, String address) {
        try {
            return Addresses.normalise(address);
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField(field, e.getMessage());
        }
    }

    private static List<String> signatures(String field, List<String> signatures) {
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < signatures.size(); i++) {
            String signature = signatures.get(i);
            String at = field + "[" + i + "]";
            Optional<String> problem = EventSignature.problem(signature);
            if (problem.isPresent()) {
                throw Problems.invalidField(at, problem.get());
            }
            int earlier = checked.indexOf(signature);
            if (earlier >= 0) {
                throw Problems.invalidField(at, signature + " is already listed at " + field + "[" + earlier + "]");
            }
            checked.add(signature);
        }
        return List.copyOf(checked);
    }

    private String addressable() {
        return registry.all().stream().filter(Register::addressable).map(Register::name)
                .collect(Collectors.joining(", "));
    }
}
