package io.bestow.codes;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/validations} and {@code /v1/redemptions}, as Voucherify's v1 API has them: several codes ({@code
 * redeemables}) validated or redeemed together for a customer and an order, all or none.
 */
@RestController
@Tag(name = "Redemptions")
class RedemptionsController {

    private final Redemptions redemptions;
    private final RedemptionViews views;
    private final JsonMapper json;

    RedemptionsController(Redemptions redemptions, RedemptionViews views, JsonMapper json) {
        this.redemptions = redemptions;
        this.views = views;
        this.json = json;
    }

    /** Always 200: {@code valid}, and per code whether it applies and what it gives, or why not. */
    @PostMapping("/v1/validations")
    Map<String, Object> validate(ProjectId project, @RequestBody JsonNode body) {
        return views.stackable(redemptions.validate(project, RedemptionRequest.stackable(body, json)));
    }

    /** Redeems every code or none; a refusal is a 400 with the first failing code's error, and is recorded. */
    @PostMapping("/v1/redemptions")
    Map<String, Object> redeem(ProjectId project, @RequestBody JsonNode body) {
        return views.redeemed(redemptions.redeem(project, RedemptionRequest.stackable(body, json)));
    }

    /** Newest first; filters: {@code result} (SUCCESS or FAILURE), {@code campaign}, {@code customer}, {@code voucher}. */
    @GetMapping("/v1/redemptions")
    Map<String, Object> list(ProjectId project, Paging paging, @RequestParam Map<String, String> filters) {
        return paging.list(
                "redemptions",
                redemptions.redemptions(project, filters, paging),
                redemptions.countRedemptions(project, filters));
    }

    /** A redemption ({@code r_…}, {@code rf_…}) or a rollback ({@code rr_…}). */
    @GetMapping("/v1/redemptions/{id}")
    Object get(ProjectId project, @PathVariable String id) {
        return redemptions.redemption(project, id);
    }

    /** Undoes a redemption of one code; a second rollback is refused with {@code already_rolled_back}. */
    @PostMapping("/v1/redemptions/{id}/rollback")
    Rollback rollback(
            ProjectId project,
            @PathVariable String id,
            @RequestParam(name = "reason", required = false) @Nullable String reason,
            @RequestParam(name = "tracking_id", required = false) @Nullable String trackingId,
            @RequestBody(required = false) @Nullable JsonNode body) {
        return redemptions.rollback(project, id, reason, trackingId, body == null ? json.createObjectNode() : body);
    }

    /** Undoes a redemption of several codes, every one of them. */
    @PostMapping("/v1/redemptions/{id}/rollbacks")
    Map<String, Object> rollbackStacked(
            ProjectId project,
            @PathVariable String id,
            @RequestParam(name = "reason", required = false) @Nullable String reason,
            @RequestParam(name = "tracking_id", required = false) @Nullable String trackingId,
            @RequestBody(required = false) @Nullable JsonNode body) {
        return views.rolledBack(redemptions.rollbackStacked(
                project, id, reason, trackingId, body == null ? json.createObjectNode() : body));
    }
}
