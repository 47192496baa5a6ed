package io.bestow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.ApiAssertions;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@BestowTest
class ErrorShapeIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void missingKeyIs401() {
        ApiAssertions.assertError(TestApi.at(port).get("/v1/project"), 401, "unauthorized");
    }

    @Test
    void wrongKeyIs401() {
        ApiAssertions.assertError(
                TestApi.at(port)
                        .as(IdentityFixtures.BOOTSTRAP_APP_ID, "sk_wrong")
                        .get("/v1/project"),
                401,
                "unauthorized");
        ApiAssertions.assertError(
                TestApi.at(port).with("X-App-Id", "app_only").get("/v1/project"), 401, "unauthorized");
    }

    @Test
    void unknownRouteIs404() {
        ApiAssertions.assertError(api().get("/v1/no-such-thing"), 404, "not_found");
    }

    @Test
    void unknownObjectIs404() {
        var response = api().get("/v1/users/user_doesnotexist");
        ApiAssertions.assertError(response, 404, "not_found");
        assertThat(response.json().get("message").asString()).contains("user_doesnotexist");
    }

    @Test
    void wrongMethodIs405() {
        var response = api().send("PATCH", "/v1/project", null, (String) null);
        ApiAssertions.assertError(response, 405, "method_not_allowed");
        assertThat(response.header("Allow")).contains("GET");
    }

    @Test
    void wrongMediaTypeIs415() {
        ApiAssertions.assertError(
                api().send("POST", "/v1/api-keys", "text/plain", "name=x"), 415, "unsupported_media_type");
    }

    @Test
    void malformedJsonIs400() {
        ApiAssertions.assertError(api().post("/v1/api-keys", "{\"name\": "), 400, "malformed_json");
        ApiAssertions.assertError(
                api().send("POST", "/v1/api-keys", "application/json", (String) null), 400, "malformed_json");
    }

    @Test
    void invalidFieldsAre422WithPerFieldDetails() {
        var response = api().post("/v1/users", "{\"email\": \"not-an-email\", \"password\": \"short\"}");
        ApiAssertions.assertError(response, 422, "invalid_payload");
        assertThat(response.json().get("details").propertyNames()).contains("email", "password");
    }

    @Test
    void invalidEnumValueIs422NamingTheField() {
        var response = api().post("/v1/api-keys", "{\"name\": \"x\", \"role\": \"owner\"}");
        ApiAssertions.assertError(response, 422, "invalid_payload");
        assertThat(response.json().get("details").get("role").asString()).isEqualTo("must be admin or member");
    }

    @Test
    void wrongJsonTypeIs400() {
        ApiAssertions.assertError(api().post("/v1/api-keys", "[1, 2]"), 400, "malformed_json");
    }

    @Test
    void invalidQueryIs400() {
        ApiAssertions.assertError(api().get("/v1/users?limit=0"), 400, "invalid_query_params");
        ApiAssertions.assertError(api().get("/v1/users?page=abc"), 400, "invalid_query_params");
    }

    @Test
    void duplicateIs409() {
        var tenant = fixtures.tenant(port);
        var body =
                "{\"email\": \"dup-" + tenant.project().value() + "@example.com\", \"password\": \"long-enough-pw\"}";
        assertThat(tenant.api().post("/v1/users", body).status()).isEqualTo(201);
        ApiAssertions.assertError(tenant.api().post("/v1/users", body), 409, "duplicate_found");
    }

    @Test
    void everyResponseCarriesARequestIdAndEchoesASaneOne() {
        var generated = api().get("/v1/project");
        assertThat(generated.header("X-Request-Id")).startsWith("req_");
        var echoed = api().with("X-Request-Id", "trace-123").get("/v1/no-such-thing");
        assertThat(echoed.header("X-Request-Id")).isEqualTo("trace-123");
        assertThat(echoed.json().get("request_id").asString()).isEqualTo("trace-123");
        var replaced = api().with("X-Request-Id", "bad id with spaces").get("/v1/project");
        assertThat(replaced.header("X-Request-Id")).startsWith("req_");
    }

    private TestApi api() {
        return TestApi.at(port).as(IdentityFixtures.BOOTSTRAP_APP_ID, IdentityFixtures.BOOTSTRAP_APP_TOKEN);
    }
}
