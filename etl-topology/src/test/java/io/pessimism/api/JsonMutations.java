package io.pessimism.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Valid request bodies of the REST API and mutations of them, for the fuzz test: fields dropped,
 * duplicated, renamed or retyped, huge and negative numbers, odd unicode, deep nesting; then bytes
 * truncated, invalid UTF-8, other encodings, or the whole body replaced.
 */
final class JsonMutations {

    static final List<String> REGISTERS = List.of("event_log", "geth_block", "account_balance", "l1_l2_block_sync");
    static final List<String> SIGNATURES = List.of("Ping(address,uint256)", "Transfer(address,address,uint256)",
            "Approval(address,address,uint256)", "X()", "Deposit(bytes32,uint256[],(address,bool))");
    private static final List<String> ODD_TEXT = List.of("", " ", "layer1 ", "LAYER1", "ｌａｙｅｒ１", "layer\u0000",
            "event_log\u200b", "\u202eevent_log", "İ", "ı", "🦊", "e\u0301", "\t", "a|b", "\\", "\"", "0x", "x".repeat(300),
            "null", "true", "-1", "1e3", "%00", "<script>", "' OR 1=1 --", "\u00ff\u00fe", "\uffff", "日本語");
    private static final List<String> HUGE_NUMBERS = List.of("1e400", "-1e400", "123456789012345678901234567890",
            "-9223372036854775809", "9223372036854775808", "9223372036854775807", "-9223372036854775808", "1.5", "-0",
            "0.0", "1E2", "-1", "-42", "4.9e-324", "NaN", "Infinity", "0x10", "00012", "+5");
    private static final List<String> FIELDS = List.of("network", "type", "register", "startHeight", "endHeight",
            "owner", "interests", "address", "signatures", "colour", "Network", "start_height", "", "puuid", "__proto__");
    private static final List<byte[]> BAD_UTF8 = List.of(new byte[] {(byte) 0xc3, 0x28}, new byte[] {(byte) 0xff},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xc0, (byte) 0xaf},
            new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xe2, (byte) 0x82},
            new byte[] {0});
    private static final List<String> WHOLE_BODIES = List.of("", " ", "\r\n", "null", "[]", "{}", "\"x\"", "42",
            "true", "{\"", "}", "{,}", "[{}]", "{\"owner\":}", "{\"owner\" \"o\"}", "{'owner':'o'}", "{owner:\"o\"}",
            "/* c */{}", "{\"a\":1}{\"b\":2}", "{} x");

    private final Random random;
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    JsonMutations(Random random) {
        this.random = random;
    }

    /** A create body the service accepts (blocks 10..41 held, both networks served). */
    ObjectNode validCreate() {
        ObjectNode body = nodes.objectNode();
        String register = pick(REGISTERS);
        body.put("network", random.nextBoolean() ? "layer1" : "layer2");
        body.put("register", register);
        if (random.nextInt(4) == 0) {
            long start = 10 + random.nextInt(20);
            body.put("type", "backtest").put("startHeight", start).put("endHeight", start + random.nextInt(1_000));
        } else {
            if (random.nextBoolean()) {
                body.put("type", "live");
            }
            if (random.nextBoolean()) {
                body.put("startHeight", 10 + random.nextInt(32));
            }
        }
        body.put("owner", owner());
        if (!register.equals("geth_block") && !register.equals("l1_l2_block_sync") && random.nextBoolean()) {
            ArrayNode interests = body.putArray("interests");
            int addresses = 1 + random.nextInt(3);
            for (int i = 0; i < addresses; i++) {
                ObjectNode interest = interests.addObject().put("address", address(i));
                if (register.equals("event_log")) {
                    signatures(interest.putArray("signatures"));
                }
            }
        }
        return body;
    }

    /** A watch body for a pipeline of {@code register}, valid when that register is addressable. */
    ObjectNode validWatch(String register) {
        ObjectNode body = nodes.objectNode().put("owner", owner());
        if (register.equals("event_log")) {
            signatures(body.putArray("signatures"));
        }
        return body;
    }

    /** One to three structural mutations of {@code body}, then maybe byte-level ones. */
    byte[] mutate(ObjectNode body) {
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            mutateTree(body);
        }
        byte[] bytes = write(body);
        if (random.nextInt(10) < 3) {
            bytes = mutateBytes(bytes);
        }
        return bytes;
    }

    byte[] write(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lowercase or mixed-case checksummed-looking hex addresses, distinct per index. */
    String address(int index) {
        String hex = String.format("%040x", 0xaa + index + 0x100L * random.nextInt(1 << 20));
        return "0x" + (random.nextBoolean() ? hex : hex.toUpperCase());
    }

    String owner() {
        return "risk-" + random.nextInt(1000);
    }

    private void signatures(ArrayNode signatures) {
        List<String> pool = new ArrayList<>(SIGNATURES);
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            signatures.add(pool.remove(random.nextInt(pool.size())));
        }
    }

    /** A container in {@code root} (itself included) and one of its slots, mutated. */
    private void mutateTree(ObjectNode root) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode container = pick(containers);
        if (container instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.isEmpty() || random.nextInt(5) == 0 ? pick(FIELDS) : pick(names);
            switch (random.nextInt(4)) {
                case 0 -> object.remove(name);
                case 1 -> {
                    JsonNode value = object.remove(name);
                    object.set(renamed(name), value == null ? randomValue(2) : value);
                }
                default -> object.set(name, randomValue(2));
            }
        } else if (container instanceof ArrayNode array) {
            int index = array.isEmpty() ? 0 : random.nextInt(array.size());
            switch (random.nextInt(3)) {
                case 0 -> {
                    if (!array.isEmpty()) {
                        array.remove(index);
                    }
                }
                case 1 -> array.add(array.isEmpty() ? randomValue(2) : array.get(index).deepCopy()); // duplicate
                default -> {
                    if (array.isEmpty()) {
                        array.add(randomValue(2));
                    } else {
                        array.set(index, randomValue(2));
                    }
                }
            }
        }
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            node.forEach(child -> collect(child, containers));
        }
    }

    private String renamed(String name) {
        return switch (random.nextInt(4)) {
            case 0 -> name.toUpperCase();
            case 1 -> name + "s";
            case 2 -> name.isEmpty() ? "_" : name.substring(1);
            default -> name + "\u200b";
        };
    }

    /** Any JSON value, of any type, nested up to {@code depth} (raw text for what a tree cannot hold). */
    private JsonNode randomValue(int depth) {
        switch (random.nextInt(depth > 0 ? 12 : 9)) {
            case 0:
                return nodes.textNode(pick(ODD_TEXT));
            case 1:
                return nodes.textNode(pick(List.of("layer1", "layer2", "live", "backtest", pick(REGISTERS),
                        address(0), pick(SIGNATURES), owner())));
            case 2:
                return nodes.numberNode(random.nextLong());
            case 3:
                return raw(pick(HUGE_NUMBERS));
            case 4:
                return nodes.numberNode(-1 - random.nextInt(1_000));
            case 5:
                return random.nextBoolean() ? nodes.booleanNode(random.nextBoolean()) : nodes.nullNode();
            case 6:
                return raw(deep(1 + random.nextInt(random.nextBoolean() ? 20 : 3_000)));
            case 7:
                return raw(pick(List.of("\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"", "\"\\uZZZZ\"", "\"\\x41\"",
                        "\"a\nb\"", "\"\t\"", "'single'", "undefined")));
            case 8:
                return nodes.numberNode(random.nextDouble() * 1e6);
            case 9: {
                ArrayNode array = nodes.arrayNode();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.add(randomValue(depth - 1));
                }
                return array;
            }
            case 10: {
                ObjectNode object = nodes.objectNode();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    object.set(pick(FIELDS), randomValue(depth - 1));
                }
                return object;
            }
            default:
                return random.nextBoolean() ? validCreate() : validWatch("event_log");
        }
    }

    private String deep(int depth) {
        boolean arrays = random.nextBoolean();
        return (arrays ? "[" : "{\"a\":").repeat(depth) + "1" + (arrays ? "]" : "}").repeat(depth);
    }

    private JsonNode raw(String json) {
        return nodes.rawValueNode(new RawValue(json));
    }

    /** Bytes truncated, corrupted, re-encoded, a field duplicated, or another body altogether. */
    byte[] mutateBytes(byte[] json) {
        switch (random.nextInt(7)) {
            case 0:
                return java.util.Arrays.copyOf(json, json.length == 0 ? 0 : random.nextInt(json.length));
            case 1: {
                int at = json.length == 0 ? 0 : random.nextInt(json.length);
                byte[] bad = pick(BAD_UTF8);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(json, 0, at);
                out.writeBytes(bad);
                out.write(json, at, json.length - at);
                return out.toByteArray();
            }
            case 2: {
                byte[] flipped = json.clone();
                if (flipped.length > 0) {
                    flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
                }
                return flipped;
            }
            case 3: {
                String text = new String(json, StandardCharsets.UTF_8);
                return random.nextBoolean() ? text.getBytes(StandardCharsets.UTF_16)
                        : ("\ufeff" + text).getBytes(StandardCharsets.UTF_8);
            }
            case 4: {
                String text = new String(json, StandardCharsets.UTF_8);
                if (!text.startsWith("{") || text.length() < 3) {
                    return json;
                }
                String field = pick(FIELDS);
                return ("{\"" + field + "\":" + new String(write(randomValue(1)), StandardCharsets.UTF_8) + ","
                        + text.substring(1)).getBytes(StandardCharsets.UTF_8);
            }
            case 5:
                return pick(WHOLE_BODIES).getBytes(StandardCharsets.UTF_8);
            default: {
                byte[] noise = new byte[random.nextInt(64)];
                random.nextBytes(noise);
                return noise;
            }
        }
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
