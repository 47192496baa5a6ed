package io.bestow.codes;

import io.bestow.shared.ApiError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/** Shapes validation and redemption results as Voucherify's responses have them. */
@Component
class RedemptionViews {

    private static final Map<String, Object> EMPTY_LIST =
            Map.of("data", List.of(), "total", 0, "data_ref", "data", "object", "list");
    private static final Map<String, Object> STACKING_RULES = Map.of(
            "redeemables_limit",
            RedemptionRequest.MAX_REDEEMABLES,
            "applicable_redeemables_limit",
            RedemptionRequest.MAX_REDEEMABLES,
            "redeemables_application_mode",
            "ALL",
            "redeemables_sorting_rule",
            "REQUESTED_ORDER");

    /** {@code POST /v1/validations}: every code's status, and the order with all discounts applied. */
    Map<String, Object> stackable(Redemptions.Validated validated) {
        boolean valid = validated.valid();
        var redeemables = new ArrayList<Map<String, Object>>();
        var inapplicable = new ArrayList<Map<String, Object>>();
        var skipped = new ArrayList<Map<String, Object>>();
        for (var outcome : validated.outcomes()) {
            var item = new LinkedHashMap<String, Object>();
            item.put("id", outcome.code());
            item.put("object", "voucher");
            if (outcome.refusal() != null) {
                item.put("status", "INAPPLICABLE");
                item.put("result", Map.of("error", error(outcome.code(), outcome.refusal())));
                inapplicable.add(item);
            } else if (!valid) {
                item.put("status", "SKIPPED");
                item.put(
                        "result",
                        Map.of(
                                "details",
                                Map.of(
                                        "key",
                                        "preceding_validation_failed",
                                        "message",
                                        "Another code does not apply")));
                skipped.add(item);
            } else {
                var applied = outcome.applied();
                item.put("status", "APPLICABLE");
                item.put("order", outcome.order());
                item.put("applicable_to", EMPTY_LIST);
                item.put("inapplicable_to", EMPTY_LIST);
                item.put("result", result(applied));
                item.put("metadata", applied.voucher().metadata());
            }
            redeemables.add(item);
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("valid", valid);
        body.put("redeemables", redeemables);
        body.put("inapplicable_redeemables", inapplicable);
        body.put("skipped_redeemables", skipped);
        if (valid) {
            body.put("order", validated.order());
        }
        body.put("tracking_id", validated.trackingId());
        body.put("stacking_rules", STACKING_RULES);
        return body;
    }

    /** {@code POST /v1/vouchers/{code}/validate}: the legacy single-code answer. */
    Map<String, Object> single(Redemptions.Validated validated) {
        var outcome = validated.outcomes().getFirst();
        var body = new LinkedHashMap<String, Object>();
        body.put("valid", outcome.refusal() == null);
        if (outcome.refusal() != null) {
            body.put("reason", outcome.refusal().getMessage());
            body.put("error", error(outcome.code(), outcome.refusal()));
            body.put("tracking_id", validated.trackingId());
            body.put("code", outcome.code());
            body.put("metadata", Map.of());
            return body;
        }
        var applied = outcome.applied();
        var voucher = applied.voucher();
        body.put("applicable_to", EMPTY_LIST);
        body.put("inapplicable_to", EMPTY_LIST);
        body.put("tracking_id", validated.trackingId());
        body.put("order", outcome.order());
        body.put("code", voucher.code());
        if (voucher.isGift()) {
            body.put("gift", voucher.gift());
        } else {
            body.put("discount", voucher.discount());
        }
        if (voucher.expirationDate() != null) {
            body.put("expiration_date", voucher.expirationDate());
        }
        body.put("metadata", voucher.metadata());
        if (applied.campaign() != null) {
            body.put("campaign", applied.campaign().name());
            body.put("campaign_id", applied.campaign().id());
        }
        return body;
    }

    /** {@code POST /v1/redemptions}: one redemption per code, their parent for several, and the order. */
    Map<String, Object> redeemed(Redemptions.Redeemed redeemed) {
        var body = new LinkedHashMap<String, Object>();
        body.put("redemptions", redeemed.redemptions());
        if (redeemed.parent() != null) {
            body.put("parent_redemption", redeemed.parent());
        }
        body.put("order", redeemed.order());
        body.put("inapplicable_redeemables", List.of());
        body.put("skipped_redeemables", List.of());
        return body;
    }

    /** {@code POST /v1/redemptions/{id}/rollbacks}. */
    Map<String, Object> rolledBack(Redemptions.RolledBack rolledBack) {
        var body = new LinkedHashMap<String, Object>();
        body.put("rollbacks", rolledBack.rollbacks());
        body.put("parent_rollback", rolledBack.parent());
        body.put("order", rolledBack.order());
        return body;
    }

    private static Map<String, Object> result(Eligibility.Applied applied) {
        var voucher = applied.voucher();
        if (voucher.isGift()) {
            return Map.of("gift", Map.of("credits", applied.credits() == null ? 0 : applied.credits()));
        }
        return Map.of("discount", voucher.discount());
    }

    private static Map<String, Object> error(String code, Eligibility.Refusal refusal) {
        var error = new LinkedHashMap<String, Object>();
        error.put("code", refusal.status);
        error.put("key", refusal.key);
        error.put("message", refusal.getMessage());
        error.put("details", code);
        var requestId = MDC.get(ApiError.REQUEST_ID);
        if (requestId != null) {
            error.put("request_id", requestId);
        }
        if (refusal.customMessage != null) {
            error.put("error", Map.of("message", refusal.customMessage));
        }
        return error;
    }
}
