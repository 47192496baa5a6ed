package io.bestow.webhooks;

import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/inbound/{connector_id}}: callbacks from external systems. No API key: the signature made with the
 * connector's inbound secret authenticates the sender. 200 with {@code duplicate: true} for an id seen before; 401
 * for a request that cannot be verified.
 */
@RestController
@Tag(name = "Webhooks")
class InboundController {

    private final ReceivingCallbacks receiving;

    InboundController(ReceivingCallbacks receiving) {
        this.receiving = receiving;
    }

    @PostMapping("/v1/inbound/{connectorId}")
    Map<String, Object> receive(
            @PathVariable String connectorId, @RequestHeader HttpHeaders headers, @RequestBody byte[] body) {
        var received = receiving.receive(connectorId, headers, new String(body, StandardCharsets.UTF_8));
        var answer = new LinkedHashMap<String, Object>();
        answer.put("object", "inbound");
        answer.put("id", received.id());
        answer.put("duplicate", received.duplicate());
        if (received.effect() != null) {
            answer.put("effect", received.effect());
            answer.put("result", received.result());
        }
        return answer;
    }
}
