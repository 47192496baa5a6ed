package io.bestow;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on API responses shared by the integration tests. */
public final class ApiAssertions {

    private ApiAssertions() {}

    /** The response is an error in the standard shape, with this status and key, and no internals. */
    public static void assertError(TestApi.Response response, int status, String key) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        var body = response.json();
        assertThat(body.get("code").asInt()).isEqualTo(status);
        assertThat(body.get("key").asString()).as(response.body()).isEqualTo(key);
        assertThat(body.get("message").asString()).isNotBlank();
        assertThat(body.has("details")).isTrue();
        assertThat(body.get("request_id").asString()).isEqualTo(response.header("X-Request-Id"));
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
    }
}
