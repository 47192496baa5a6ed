package io.bestow.webhooks;

import io.bestow.shared.ApiException;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /v1/webhooks} and {@code /v1/deliveries}: endpoints, their secrets, test events and the delivery log. */
@RestController
@Tag(name = "Webhooks")
class WebhooksController {

    private final WebhookManagement webhooks;
    private final JsonMapper json;

    WebhooksController(WebhookManagement webhooks, JsonMapper json) {
        this.webhooks = webhooks;
        this.json = json;
    }

    /** Registers an endpoint; the answer carries its signing secret in full, this once. */
    @PostMapping("/v1/webhooks")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> create(ProjectId project, @RequestBody JsonNode body) {
        return withSecret(webhooks.create(project, body), null);
    }

    @GetMapping("/v1/webhooks")
    Map<String, Object> list(ProjectId project, Paging paging) {
        return paging.list("webhooks", webhooks.endpoints(project, paging), webhooks.countEndpoints(project));
    }

    @GetMapping("/v1/webhooks/{id}")
    Endpoint get(ProjectId project, @PathVariable String id) {
        return webhooks.endpoint(project, id);
    }

    @PutMapping("/v1/webhooks/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    Endpoint update(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        return webhooks.update(project, id, body);
    }

    @DeleteMapping("/v1/webhooks/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('ADMIN')")
    void delete(ProjectId project, @PathVariable String id) {
        webhooks.delete(project, id);
    }

    /** The signing secret in full, for an admin setting up a receiver. */
    @GetMapping("/v1/webhooks/{id}/secret")
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> secret(ProjectId project, @PathVariable String id) {
        return Map.of(
                "object",
                "webhook_secret",
                "secret",
                webhooks.endpoint(project, id).signingSecret());
    }

    /**
     * Issues a new secret; the old one keeps signing beside it for {@code grace_period_seconds} (default 24 hours,
     * 0 to stop at once).
     */
    @PostMapping("/v1/webhooks/{id}/rotate-secret")
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> rotate(
            ProjectId project, @PathVariable String id, @RequestBody(required = false) @Nullable JsonNode body) {
        Duration grace = null;
        if (body != null && body.has("grace_period_seconds")) {
            var seconds = body.get("grace_period_seconds");
            if (!seconds.isIntegralNumber() || seconds.asLong() < 0 || seconds.asLong() > 7 * 86_400) {
                throw ApiException.invalid(
                        "grace_period_seconds must be a whole number from 0 to 604800",
                        Map.of("grace_period_seconds", "must be 0 to 604800"));
            }
            grace = Duration.ofSeconds(seconds.asLong());
        }
        var rotated = webhooks.rotateSecret(project, id, grace);
        return withSecret(rotated, rotated.previousSecretUntil());
    }

    /** Sends a {@code webhook.test} event to this endpoint only. */
    @PostMapping("/v1/webhooks/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> test(ProjectId project, @PathVariable String id) {
        return webhooks.test(project, id);
    }

    /** The endpoint's deliveries, newest first; {@code status} filters ({@code pending}, {@code succeeded}, {@code failed}). */
    @GetMapping("/v1/webhooks/{id}/deliveries")
    Map<String, Object> deliveries(
            ProjectId project,
            @PathVariable String id,
            Paging paging,
            @RequestParam(required = false) @Nullable String status) {
        return paging.list(
                "deliveries",
                webhooks.deliveries(project, id, status, paging),
                webhooks.countDeliveries(project, id, status));
    }

    /** Sends every delivery of the endpoint that failed since {@code since} (ISO-8601) again. */
    @PostMapping("/v1/webhooks/{id}/retry-failed")
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> retryFailed(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        Instant since;
        try {
            since = Instant.parse(body.path("since").asString(""));
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(
                    "since must be an ISO-8601 time such as 2026-11-22T00:00:00Z",
                    Map.of("since", "must be an ISO-8601 time"));
        }
        return Map.of("object", "webhook_retry", "retried", webhooks.retryFailed(project, id, since));
    }

    /** A delivery with every attempt. */
    @GetMapping("/v1/deliveries/{id}")
    Delivery delivery(ProjectId project, @PathVariable String id) {
        return webhooks.delivery(project, id);
    }

    /** Sends the delivery again at once, with the same {@code webhook-id}. */
    @PostMapping("/v1/deliveries/{id}/retry")
    @PreAuthorize("hasRole('ADMIN')")
    Delivery retry(ProjectId project, @PathVariable String id) {
        return webhooks.retry(project, id);
    }

    private Map<String, Object> withSecret(Endpoint endpoint, @Nullable Instant previousUntil) {
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = new LinkedHashMap<>(json.convertValue(endpoint, Map.class));
        shown.put("secret", endpoint.signingSecret());
        if (previousUntil != null) {
            shown.put("previous_secret_expires_at", previousUntil);
        }
        return shown;
    }
}
