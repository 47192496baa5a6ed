package io.bestow.journeys;

import io.bestow.shared.Ids;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * A stand-in for a Sendoso-style gifting API, served with the demo data ({@code BESTOW_DEMO=true}) so that the demo's
 * milestone program has something to call: it accepts a send and answers with an id.
 */
@RestController
@ConditionalOnProperty(name = "bestow.demo", havingValue = "true")
class SendosoStub {

    @PostMapping("/demo/sendoso/api/v3/send")
    Map<String, Object> send(@RequestBody JsonNode body) {
        return Map.of(
                "id", Ids.generate("snd"),
                "status", "queued",
                "touch_id", body.path("touch_id").asString(""),
                "email", body.path("email").asString(""));
    }
}
