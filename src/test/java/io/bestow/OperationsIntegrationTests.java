package io.bestow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@BestowTest
class OperationsIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void healthIsPublicAndUp() {
        var health = TestApi.at(port).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusExposesMetrics() {
        var metrics = TestApi.at(port).get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "hikaricp_connections");
    }

    @Test
    void openApiDescribesTheApiAndSwaggerUiIsServed() {
        var docs = TestApi.at(port).get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("paths").propertyNames())
                .contains(
                        "/v1/api-keys",
                        "/v1/api-keys/{id}",
                        "/v1/users",
                        "/v1/users/{id}",
                        "/v1/project",
                        "/v1/events");
        var listUsers = docs.json().get("paths").get("/v1/users").get("get");
        assertThat(listUsers.get("parameters").findValuesAsString("name"))
                .containsExactly("limit", "page", "starting_after");
        var createUser = docs.json().get("paths").get("/v1/users").get("post");
        assertThat(createUser.get("parameters").findValuesAsString("name")).contains("Idempotency-Key");
        assertThat(docs.json().get("components").get("securitySchemes").propertyNames())
                .contains("appId", "appToken");
        assertThat(TestApi.at(port).get("/swagger-ui/index.html").status()).isEqualTo(200);
    }
}
