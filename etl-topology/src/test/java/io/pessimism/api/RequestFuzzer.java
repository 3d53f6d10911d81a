package io.pessimism.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * Random requests against the REST API, from one seeded {@link Random}: valid creates and watches
 * and mutations of them ({@link JsonMutations}), random paths under {@code /v1} with %-encodings
 * and slashes, random methods, wrong content types, oversized bodies and headers, and (when the
 * server has a token) missing or wrong bearer tokens.
 */
final class RequestFuzzer {

    /** A valid PUUID per register (its PipelinePID's shape), live and backtest. */
    static final List<String> PIPELINES = List.of(
            "live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block",
            "backtest::layer2:backtest:pipe:event_log::layer2:backtest:oracle:geth_block",
            "live::layer1:live:oracle:account_balance::layer1:live:oracle:account_balance",
            "live::layer2:live:oracle:geth_block::layer2:live:oracle:geth_block",
            "live::layer1:live:aggregator:l1_l2_block_sync::layer1:live:oracle:geth_block");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
            "TRACE", "FOO", "get", "PROPFIND", "M-SEARCH", "CONNECT", "POST ", "G\tT", "");
    private static final List<String> SEGMENTS = List.of("pipelines", "registers", "graph", "addresses", "pause",
            "resume", "stop", "", ".", "..", "%2F", "%2f", "%00", "%zz", "%", "%%", "%C0%AF", "%E2%80%AE", "%25",
            "%2e%2e", "~", "*", ";x=1", "?", "#", "%20", "+", "é", "%FF", "a%2Fb", "\\", "%5C", "0x", "null");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/json; charset=utf-99", "application/problem+json", "", ";;;", "*/*", "application/json;;",
            "application/octet-stream");
    private static final List<String> ACCEPTS = List.of("text/html", "application/xml", "*/*", "application/json",
            "text/plain;q=0.1, text/html", "image/png");

    private final Random random;
    private final JsonMutations json;
    private final int maxRequestBytes;

    RequestFuzzer(Random random, int maxRequestBytes) {
        this.random = random;
        this.json = new JsonMutations(random);
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * The next request; with a {@code token}, it mostly carries the right bearer header (a request
     * without it cannot pass).
     */
    FuzzRequest next(Optional<String> token) {
        Draft draft = switch (random.nextInt(20)) {
            case 0, 1, 2, 3, 4, 5 -> create();
            case 6, 7, 8, 9 -> watch();
            case 10, 11 -> pipeline();
            case 12, 13, 14 -> path();
            case 15 -> read();
            default -> size();
        };
        if (random.nextInt(4) == 0) {
            String type = pick(CONTENT_TYPES);
            draft.headers.add(ascii("Content-Type: " + type));
            draft.valid = draft.valid && (draft.body == null || type.startsWith("application/json"));
        } else if (draft.body != null) {
            draft.headers.add(ascii("Content-Type: application/json"));
        }
        if (random.nextInt(5) == 0) {
            draft.headers.add(ascii("Accept: " + pick(ACCEPTS)));
        }
        if (random.nextInt(20) == 0) {
            oddHeader(draft);
            draft.valid = false;
        }
        if (token.isPresent()) {
            authorization(draft, token.get());
        }
        boolean chunked = draft.body != null && random.nextInt(6) == 0;
        return new FuzzRequest(draft.kind, draft.method, draft.target.getBytes(StandardCharsets.UTF_8), draft.headers,
                draft.body, chunked, draft.valid);
    }

    /** What a request is made of before its headers are decorated. */
    private static final class Draft {
        final String kind;
        String method;
        String target;
        byte[] body;
        boolean valid;
        final List<byte[]> headers = new ArrayList<>();

        Draft(String kind, String method, String target, byte[] body, boolean valid) {
            this.kind = kind;
            this.method = method;
            this.target = target;
            this.body = body;
            this.valid = valid;
        }
    }

    private Draft create() {
        ObjectNode body = json.validCreate();
        if (random.nextInt(6) == 0) {
            return new Draft("create", "POST", "/v1/pipelines", json.write(body), true);
        }
        return new Draft("create", "POST", "/v1/pipelines", json.mutate(body), false);
    }

    private Draft watch() {
        String pid = pick(PIPELINES);
        String register = pid.split(":")[5];
        String puuid = pid + ":::" + uuid();
        String address = json.address(0);
        ObjectNode body = json.validWatch(register);
        boolean addressable = register.equals("event_log") || register.equals("account_balance");
        if (random.nextInt(6) == 0) {
            boolean put = random.nextBoolean();
            return new Draft("watch", put ? "PUT" : "DELETE", "/v1/pipelines/" + puuid + "/addresses/" + address,
                    json.write(body), addressable);
        }
        Draft draft = new Draft("watch", random.nextInt(4) == 0 ? "DELETE" : "PUT",
                "/v1/pipelines/" + maybeMangle(puuid) + "/addresses/" + maybeMangle(address), json.write(body), false);
        if (random.nextInt(3) > 0) {
            draft.body = json.mutate(body);
        }
        if (random.nextInt(4) == 0) {
            draft.target += "?owner=" + encodeSome(pick(List.of(json.owner(), "a|b", "", "%00", "x".repeat(300))));
        }
        return draft;
    }

    private Draft pipeline() {
        String puuid = maybeMangle(pick(PIPELINES) + ":::" + uuid());
        String action = pick(List.of("", "", "/pause", "/resume", "/stop", "/addresses", "/addresses/", "/"));
        String method = pick(List.of("GET", "POST", "DELETE", "PUT"));
        String query = random.nextInt(3) == 0
                ? "?owner=" + encodeSome(pick(List.of(json.owner(), "a|b", "", " x", "%zz")))
                        + (random.nextBoolean() ? "&keepOutput=" + pick(List.of("true", "yes", "", "%00")) : "")
                : "";
        return new Draft("pipeline", method, "/v1/pipelines/" + puuid + action + query,
                random.nextInt(4) == 0 ? json.mutateBytes(json.write(json.validWatch("event_log"))) : null, false);
    }

    private Draft path() {
        StringBuilder path = new StringBuilder("/v1");
        int segments = random.nextInt(5);
        for (int i = 0; i < segments; i++) {
            path.append('/');
            switch (random.nextInt(4)) {
                case 0 -> path.append(pick(PIPELINES)).append(":::").append(uuid());
                case 1 -> path.append(json.address(i));
                default -> path.append(pick(SEGMENTS));
            }
        }
        if (random.nextInt(3) == 0) {
            path.append('/');
        }
        if (random.nextInt(4) == 0) {
            path.append("?format=").append(pick(List.of("json", "dot", "mermaid", "", "svg", "%00", "JSON")))
                    .append(random.nextBoolean() ? "&format=dot" : "");
        }
        if (random.nextInt(10) == 0) {
            path.append("/").append("a".repeat(random.nextInt(20_000)));
        }
        byte[] body = random.nextBoolean() ? null : json.mutate(json.validCreate());
        return new Draft("path", pick(METHODS), path.toString(), body, false);
    }

    private Draft read() {
        String target = pick(List.of("/v1/pipelines", "/v1/registers", "/v1/graph", "/v1/graph?format=json",
                "/v1/graph?format=dot", "/v1/graph?format=mermaid", "/health", "/ready", "/metrics"));
        boolean open = target.equals("/health") || target.equals("/ready");
        Draft draft = new Draft("read", "GET", target, null, true);
        draft.valid = true;
        if (!open && random.nextInt(4) == 0) {
            draft.method = pick(METHODS);
            draft.valid = false;
        }
        return draft;
    }

    /** Bodies around and far over the limit, oversized headers, many headers. */
    private Draft size() {
        Draft draft = random.nextBoolean() ? create() : watch();
        draft.valid = false;
        switch (random.nextInt(3)) {
            case 0 -> {
                int size = pick(List.of(maxRequestBytes - 1, maxRequestBytes, maxRequestBytes + 1, 2 * maxRequestBytes,
                        64 * 1024, 1024 * 1024));
                draft.body = padded(draft.body, size);
            }
            case 1 -> draft.headers.add(ascii("X-Big: " + "b".repeat(pick(List.of(4_000, 9_000, 64_000)))));
            default -> {
                int count = pick(List.of(50, 200, 1_000));
                for (int i = 0; i < count; i++) {
                    draft.headers.add(ascii("X-H" + i + ": " + i));
                }
            }
        }
        return draft;
    }

    /** {@code body} grown to {@code size} bytes: spaces before it (still the same JSON) or noise after. */
    private byte[] padded(byte[] body, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pad = Math.max(0, size - body.length);
        if (random.nextBoolean()) {
            out.writeBytes(" ".repeat(pad).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
        } else {
            out.writeBytes(body);
            out.writeBytes("x".repeat(pad).getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private void oddHeader(Draft draft) {
        draft.headers.add(switch (random.nextInt(6)) {
            case 0 -> new byte[] {'X', '-', 'U', ':', ' ', (byte) 0xc3, 0x28, (byte) 0xff};
            case 1 -> ascii("X-Empty:");
            case 2 -> ascii("No-Colon-Here");
            case 3 -> ascii(": no-name");
            case 4 -> ascii("Content-Type: application/json\r\n folded: continuation");
            default -> ascii("X-Ctl: a\u0001b");
        });
    }

    private void authorization(Draft draft, String token) {
        int choice = random.nextInt(14);
        if (choice < 9) {
            draft.headers.add(ascii("Authorization: Bearer " + token));
            return;
        }
        draft.valid = draft.valid && (draft.target.startsWith("/health") || draft.target.startsWith("/ready"));
        draft.headers.add(switch (choice) {
            case 9 -> ascii("Authorization: Bearer " + token.substring(1));
            case 10 -> ascii("Authorization: bearer " + token + " ");
            case 11 -> ascii("Authorization: Basic " + java.util.Base64.getEncoder().encodeToString(
                    ("u:" + token).getBytes(StandardCharsets.UTF_8)));
            case 12 -> concat(ascii("Authorization: Bearer " + token), new byte[] {(byte) 0xc3, (byte) 0xa9});
            default -> ascii("X-No-Authorization: here");
        });
    }

    /** The same text, or with a few characters %-encoded, slashes inserted, or cut. */
    private String maybeMangle(String text) {
        if (random.nextInt(3) > 0) {
            return text;
        }
        return switch (random.nextInt(6)) {
            case 0 -> encodeSome(text);
            case 1 -> text.replace(":::", pick(List.of("%3A%3A%3A", "/", "%2F", ":::/", "::")));
            case 2 -> text.substring(0, random.nextInt(text.length() + 1));
            case 3 -> text + pick(List.of("%", "%z", "%00", "/..", "%2F..", ";", "é", "%FF%FE"));
            case 4 -> text.toUpperCase();
            default -> text.replace("-", pick(List.of("", "--", "_")));
        };
    }

    private String encodeSome(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (random.nextInt(4) == 0 && c < 0x80) {
                out.append(String.format("%%%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
