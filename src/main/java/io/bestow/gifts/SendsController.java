package io.bestow.gifts;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.RequestBodies;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /v1/sends}: gift sends, their approval (admins only), cancellation and provider status updates. */
@RestController
@Tag(name = "Sends")
class SendsController {

    private final SendManagement sends;

    SendsController(SendManagement sends) {
        this.sends = sends;
    }

    /** Sends a gift: {@code created} with its cost held, or {@code pending_funds} / {@code pending_approval}. */
    @PostMapping("/v1/sends")
    @ResponseStatus(HttpStatus.CREATED)
    Send create(ProjectId project, @RequestBody JsonNode body) {
        return sends.create(project, body);
    }

    /** Sends, newest first, filtered by any of their status, gift, budget, customer, sender and campaign. */
    @GetMapping("/v1/sends")
    Map<String, Object> list(
            ProjectId project,
            Paging paging,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(name = "gift_id", required = false) @Nullable String giftId,
            @RequestParam(name = "budget_id", required = false) @Nullable String budgetId,
            @RequestParam(name = "customer_id", required = false) @Nullable String customerId,
            @RequestParam(name = "sender_id", required = false) @Nullable String senderId,
            @RequestParam(required = false) @Nullable String campaign) {
        var query = new SendQuery(status, giftId, budgetId, customerId, senderId, campaign);
        return paging.list("sends", sends.sends(project, query, paging), sends.countSends(project, query));
    }

    /** The send with its history (every transition) and its ledger entries. */
    @GetMapping("/v1/sends/{id}")
    Map<String, Object> get(ProjectId project, @PathVariable String id) {
        return sends.details(project, id);
    }

    /** Moves a pending send on, taking its hold now. */
    @PostMapping("/v1/sends/{id}/approve")
    @PreAuthorize("hasRole('ADMIN')")
    Send approve(ProjectId project, @PathVariable String id) {
        return sends.approve(project, id);
    }

    /** Cancels a send not yet claimed or shipped, with an optional {@code reason}; its money goes back. */
    @PostMapping("/v1/sends/{id}/cancel")
    @PreAuthorize("hasRole('ADMIN')")
    Send cancel(ProjectId project, @PathVariable String id, @RequestBody(required = false) @Nullable JsonNode body) {
        String reason = null;
        if (body != null && !body.isNull()) {
            RequestBodies.expectFields(body, Set.of("reason"), "cancellation");
            reason = RequestBodies.text(body, "reason", null, "cancellation");
        }
        return sends.cancel(project, id, reason);
    }

    /**
     * A provider's status update: {@code status}, and {@code event_id} so that a repeated delivery changes nothing
     * ({@code duplicate: true}); {@code address} with {@code address_confirmed}, {@code provider_reference},
     * {@code reason} and {@code details} are kept with it.
     */
    @PostMapping("/v1/sends/{id}/status")
    Map<String, Object> report(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        var reported = sends.report(project, id, body);
        var answer = new LinkedHashMap<String, Object>();
        answer.put("object", "send_status_update");
        answer.put("duplicate", reported.duplicate());
        answer.put("changed", reported.changed());
        answer.put("send", reported.send());
        return answer;
    }
}
