package io.pessimism.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.pessimism.serde.AvroSerdeConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry client's HTTP basic auth against a registry that wants it (a stand-in answering 401 like
 * Confluent's without the right {@code Authorization} header).
 */
class RestSchemaRegistryClientAuthTest {

    private static final Schema SCHEMA = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Sample\","
            + "\"namespace\":\"io.pessimism.test\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
    private static final String USER_INFO = "registry-user:s3cret:with-colon";

    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString(USER_INFO.getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(authorization));
            boolean allowed = expected.equals(authorization);
            byte[] body = (allowed ? "{\"id\":7}" : "{\"error_code\":401,\"message\":\"Unauthorized\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void theUserAndPasswordGoAsBasicAuthOnEveryRequest() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url(), Optional.of(USER_INFO));
        assertThat(client.register("a-value", SCHEMA)).isEqualTo(7);
        assertThat(client.register("b-value", SCHEMA)).isEqualTo(7);
        assertThat(authorizations).hasSize(2).allMatch(a -> a.startsWith("Basic "));
    }

    @Test
    void withoutThemTheRegistrysRefusalIsTheError() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url());
        assertThatThrownBy(() -> client.register("a-value", SCHEMA)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 401");
        assertThat(authorizations).containsExactly("null");
    }

    @Test
    void theSerdesConfluentStyleKeyConfiguresItAndIsMaskedWhenPrinted() {
        AvroSerdeConfig config = AvroSerdeConfig.from(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url(),
                AvroSerdeConfig.BASIC_AUTH_USER_INFO, USER_INFO));
        assertThat(config.basicAuthUserInfo()).isEqualTo(USER_INFO);
        assertThat(config.toString()).contains(url()).doesNotContain("s3cret");
    }

    @Test
    void aUserInfoWithoutAPasswordIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> new RestSchemaRegistryClient(url(), Optional.of("just-a-secret")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user:password")
                .message().doesNotContain("just-a-secret");
    }
}
