package io.bestow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.BestowTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@BestowTest
class TenantIsolationIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void projectKeyCannotReadChangeOrListAnotherProjectsObjects() {
        var a = fixtures.tenant(port);
        var b = fixtures.tenant(port);
        var bUser = fixtures.user(
                b.project(), "someone-" + b.project().value() + "@b.example", "long-enough-pw", Role.MEMBER);
        var bKeyId = b.key().key().id();

        assertThat(a.api().get("/v1/api-keys/" + bKeyId).status()).isEqualTo(404);
        assertThat(a.api().delete("/v1/api-keys/" + bKeyId).status()).isEqualTo(404);
        assertThat(a.api().get("/v1/users/" + bUser.id()).status()).isEqualTo(404);
        assertThat(a.api()
                        .put("/v1/users/" + bUser.id(), "{\"name\": \"Mallory\"}")
                        .status())
                .isEqualTo(404);
        assertThat(a.api().delete("/v1/users/" + bUser.id()).status()).isEqualTo(404);

        var keys = a.api().get("/v1/api-keys?limit=100").json();
        assertThat(keys.get("api_keys").findValuesAsString("id")).doesNotContain(bKeyId);
        var users = a.api().get("/v1/users?limit=100").json();
        assertThat(users.get("users").findValuesAsString("id")).doesNotContain(bUser.id());
        assertThat(a.api().get("/v1/project").json().get("id").asString())
                .isEqualTo(a.project().value());

        // B's objects are untouched and still visible to B.
        assertThat(b.api().get("/v1/api-keys/" + bKeyId).json().has("revoked_at"))
                .isFalse();
        assertThat(b.api().get("/v1/users/" + bUser.id()).json().get("name").asString())
                .isEqualTo("Test User");
    }

    @Test
    void eventsOfOneProjectStayInIt() {
        var a = fixtures.tenant(port);
        var b = fixtures.tenant(port);
        var created = b.api().post("/v1/api-keys", "{\"name\": \"b-only\"}");
        assertThat(created.status()).isEqualTo(201);

        var aEvents = a.api().get("/v1/events?limit=100").json().get("events");
        assertThat(aEvents.findValuesAsString("project_id"))
                .containsOnly(a.project().value());
    }

    @Test
    void membersCannotManageKeysOrUsers() {
        var a = fixtures.tenant(port);
        var member = fixtures.keyFor(a.project(), Role.MEMBER, port);

        var denied = member.post("/v1/api-keys", "{\"name\": \"nope\"}");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().get("key").asString()).isEqualTo("forbidden");
        assertThat(member.post("/v1/users", "{\"email\": \"x@y.example\", \"password\": \"long-enough-pw\"}")
                        .status())
                .isEqualTo(403);
        assertThat(member.get("/v1/users").status()).isEqualTo(200);
    }

    @Test
    void revokedKeyIsRejected() {
        var a = fixtures.tenant(port);
        var second = a.api().post("/v1/api-keys", "{\"name\": \"short-lived\"}").json();
        var secondApi = io.bestow.TestApi.at(port)
                .as(second.get("app_id").asString(), second.get("app_token").asString());
        assertThat(secondApi.get("/v1/project").status()).isEqualTo(200);

        var revoked = a.api().delete("/v1/api-keys/" + second.get("id").asString());
        assertThat(revoked.json().get("revoked_at").isNull()).isFalse();
        assertThat(secondApi.get("/v1/project").status()).isEqualTo(401);
    }
}
