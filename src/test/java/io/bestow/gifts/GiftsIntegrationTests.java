package io.bestow.gifts;

import static io.bestow.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import io.bestow.identity.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The gift catalog over HTTP. */
@BestowTest
class GiftsIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures identity;

    TestApi api;
    GiftFixtures gifts;

    @BeforeEach
    void tenant() {
        api = identity.tenant(port).api();
        gifts = new GiftFixtures(api);
    }

    @Test
    void keepsACatalogOfEGiftsAndPhysicalItems() {
        var coffee = GiftFixtures.created(api.post("/v1/gifts", """
                {"name": "Coffee e-gift", "type": "EGIFT", "face_value": 1000, "currency": "usd",
                 "image_url": "https://img.example.com/coffee.png", "description": "A coffee on us"}
                """));
        assertThat(coffee.get("id").asString()).startsWith("gift_");
        assertThat(coffee.get("object").asString()).isEqualTo("gift");
        assertThat(coffee.get("cost").asLong()).isEqualTo(1000);
        assertThat(coffee.get("currency").asString()).isEqualTo("USD");
        assertThat(coffee.get("provider").asString()).isEqualTo("sandbox");
        assertThat(coffee.get("active").asBoolean()).isTrue();
        var hoodie = gifts.physical(4500, 700);
        assertThat(hoodie.get("ships_to")).extracting(c -> c.asString()).containsExactly("US", "DE");

        var inactive = api.put("/v1/gifts/" + coffee.get("id").asString(), "{\"active\": false}");
        assertThat(inactive.status()).isEqualTo(200);
        assertThat(inactive.json().get("active").asBoolean()).isFalse();
        assertThat(inactive.json().get("cost").asLong()).isEqualTo(1000);
        assertThat(gifts.get("/v1/gifts?active=true").get("gifts"))
                .extracting(g -> g.get("name").asString())
                .containsExactly(hoodie.get("name").asString());
        assertThat(gifts.get("/v1/gifts?type=EGIFT").get("total").asInt()).isEqualTo(1);
        var budget = gifts.budget(10_000);
        assertError(gifts.send(coffee, budget, gifts.recipient(), ""), 422, "gift_inactive");

        gifts.sent(hoodie, budget, gifts.recipient());
        assertError(api.delete("/v1/gifts/" + hoodie.get("id").asString()), 409, "gift_in_use");
        assertThat(api.delete("/v1/gifts/" + coffee.get("id").asString()).status())
                .isEqualTo(204);
        assertThat(gifts.get("/v1/events/feed?types=gift.*").get("events"))
                .extracting(e -> e.get("type").asString())
                .containsExactly("gift.created", "gift.created", "gift.updated", "gift.deleted");
    }

    @Test
    void refusesGiftsItCouldNotSendWithClearErrors() {
        assertError(
                api.post("/v1/gifts", "{\"name\": \"X\", \"type\": \"VOUCHER\", \"cost\": 1, \"currency\": \"USD\"}"),
                422,
                "invalid_payload");
        assertError(
                api.post("/v1/gifts", "{\"name\": \"X\", \"type\": \"EGIFT\", \"currency\": \"USD\"}"),
                422,
                "invalid_payload");
        assertError(
                api.post("/v1/gifts", "{\"name\": \"X\", \"type\": \"PHYSICAL\", \"cost\": 1, \"currency\": \"USD\"}"),
                422,
                "invalid_payload");
        assertError(
                api.post(
                        "/v1/gifts",
                        "{\"name\": \"X\", \"type\": \"PHYSICAL\", \"cost\": 1, \"currency\": \"USD\", \"ships_to\": [\"XX\"]}"),
                422,
                "invalid_payload");
        assertError(
                api.post("/v1/gifts", "{\"name\": \"X\", \"type\": \"EGIFT\", \"cost\": -1, \"currency\": \"USD\"}"),
                422,
                "invalid_payload");
        assertError(
                api.post(
                        "/v1/gifts",
                        "{\"name\": \"X\", \"type\": \"EGIFT\", \"cost\": 1, \"currency\": \"USD\", \"provider\": \"connector\"}"),
                422,
                "invalid_payload");
        assertError(
                api.post(
                        "/v1/gifts",
                        "{\"name\": \"X\", \"type\": \"EGIFT\", \"cost\": 1, \"currency\": \"USD\", \"provider\": \"connector\", \"action_id\": \"act_nope\"}"),
                422,
                "invalid_payload");
        assertError(
                api.post(
                        "/v1/gifts",
                        "{\"name\": \"X\", \"type\": \"EGIFT\", \"cost\": 1, \"currency\": \"USD\", \"image_url\": \"file:///etc/passwd\"}"),
                422,
                "invalid_payload");
        assertError(api.get("/v1/gifts?type=BOOK"), 400, "invalid_query_params");
        var member = identity.keyFor(identity.tenant(port).project(), Role.MEMBER, port);
        assertError(
                member.post("/v1/gifts", "{\"name\": \"X\", \"type\": \"EGIFT\", \"cost\": 1, \"currency\": \"USD\"}"),
                403,
                "forbidden");
        assertThat(gifts.get("/v1/gifts").get("total").asInt()).isZero();
    }
}
