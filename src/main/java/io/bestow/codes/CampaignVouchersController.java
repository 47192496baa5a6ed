package io.bestow.codes;

import io.bestow.campaigns.CampaignManagement;
import io.bestow.shared.ApiException;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code /v1/campaigns/{id}/vouchers}: adds codes to a campaign, one (optionally with a given code) or many; {@code
 * /v1/campaigns/{id}/import} imports given ones.
 */
@RestController
@RequestMapping("/v1/campaigns/{campaign}")
@Tag(name = "Campaigns")
class CampaignVouchersController {

    private final CampaignManagement campaigns;
    private final VoucherManagement vouchers;
    private final CodeGeneration generation;
    private final CodeImport imports;

    CampaignVouchersController(
            CampaignManagement campaigns, VoucherManagement vouchers, CodeGeneration generation, CodeImport imports) {
        this.campaigns = campaigns;
        this.vouchers = vouchers;
        this.generation = generation;
        this.imports = imports;
    }

    /**
     * Imports given codes into the campaign: {@code [{"code": "…", "metadata": {…}, "redemption": {"quantity": 1}}]};
     * {@code 202} with the async action that reports what went in and what did not.
     */
    @PostMapping("/import")
    ResponseEntity<Map<String, Object>> importCodes(
            ProjectId project, @PathVariable String campaign, @RequestBody JsonNode body) {
        var action = imports.importCodes(project, campaigns.campaign(project, campaign), body);
        return ResponseEntity.accepted().body(Map.of("async_action_id", action.id()));
    }

    /**
     * One code following the campaign's template (the voucher), or with {@code vouchers_count} above 1 that many
     * codes generated in the background ({@code 202} with the async action's id).
     */
    @PostMapping("/vouchers")
    ResponseEntity<Object> add(
            ProjectId project,
            @PathVariable String campaign,
            @RequestParam(name = "vouchers_count", required = false) @Nullable Long count,
            @RequestBody(required = false) @Nullable JsonNode body) {
        var target = campaigns.campaign(project, campaign);
        if (count != null && (count < 1 || count > 10_000_000)) {
            throw ApiException.invalid(
                    "vouchers_count must be from 1 to 10000000",
                    Map.of("vouchers_count", "must be from 1 to 10000000"));
        }
        if (count != null && count > 1) {
            var action = generation.start(project, target, count);
            return ResponseEntity.accepted().body(Map.of("async_action_id", action.id()));
        }
        return ResponseEntity.ok(vouchers.addToCampaign(project, target, null, orEmpty(body)));
    }

    @PostMapping("/vouchers/{code}")
    Voucher addCode(
            ProjectId project,
            @PathVariable String campaign,
            @PathVariable String code,
            @RequestBody(required = false) @Nullable JsonNode body) {
        return vouchers.addToCampaign(project, campaigns.campaign(project, campaign), code, orEmpty(body));
    }

    private static JsonNode orEmpty(@Nullable JsonNode body) {
        return body == null || body.isNull() ? JsonNodeFactory.instance.objectNode() : body;
    }
}
