package io.bestow.customers;

import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/events}: tracks a custom event for a customer, in Voucherify's shape. */
@RestController
@Tag(name = "Custom events")
class CustomEventsController {

    private final CustomerManagement customers;

    CustomEventsController(CustomerManagement customers) {
        this.customers = customers;
    }

    @PostMapping("/v1/events")
    Map<String, Object> track(ProjectId project, @RequestBody JsonNode body) {
        var tracked = customers.track(project, body);
        var customer = tracked.customer();
        var summary = new LinkedHashMap<String, Object>();
        summary.put("id", customer.id());
        summary.put("source_id", customer.sourceId());
        summary.put("name", customer.name());
        summary.put("email", customer.email());
        summary.put("metadata", customer.metadata());
        summary.put("object", "customer");
        var response = new LinkedHashMap<String, Object>();
        response.put("object", "event");
        response.put("id", tracked.activity().id());
        response.put("type", tracked.activity().name());
        response.put("customer", summary);
        response.put("created_at", tracked.activity().createdAt());
        return response;
    }
}
