package io.bestow.campaigns;

import io.bestow.shared.ApiException;
import io.bestow.shared.Expressions;
import io.bestow.shared.RequestBodies;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A campaign as a create or update request describes it, checked as a whole before anything is written. */
record CampaignDraft(
        @Nullable String name,
        @Nullable String description,
        @Nullable String campaignType,
        @Nullable String type,
        @Nullable VoucherTemplate voucher,
        @Nullable Long vouchersCount,
        @Nullable Instant startDate,
        @Nullable Instant expirationDate,
        @Nullable Boolean active,
        @Nullable Boolean joinOnce,
        @Nullable List<Rule> rules,
        @Nullable Integer redemptionsPerCustomer,
        @Nullable ReferralProgram referralProgram,
        @Nullable String category,
        @Nullable Map<String, Object> metadata) {

    static final long MAX_VOUCHERS_COUNT = 10_000_000;
    private static final int MAX_METADATA_BYTES = 16 * 1024;

    static CampaignDraft parse(JsonNode body, JsonMapper json) {
        return RequestBodies.read(json, body, CampaignDraft.class, "campaign");
    }

    /** Checks every field and compiles every rule; all problems are reported at once. */
    void check(Expressions expressions, JsonMapper json) {
        var problems = new LinkedHashMap<String, String>();
        if (name == null || name.isBlank() || name.length() > 200) {
            problems.put("name", "must be 1 to 200 characters");
        }
        if (campaignType == null || !Campaign.CAMPAIGN_TYPES.contains(campaignType)) {
            problems.put("campaign_type", "must be one of " + Campaign.CAMPAIGN_TYPES);
        }
        if (type != null && !Campaign.TYPES.contains(type)) {
            problems.put("type", "must be one of " + Campaign.TYPES);
        }
        if (voucher == null) {
            problems.put("voucher", "is required: the template of the campaign's codes");
        } else {
            voucher.check("voucher", problems);
            if ("GIFT_VOUCHERS".equals(campaignType) && !"GIFT_VOUCHER".equals(voucher.type())) {
                problems.put("voucher.type", "must be GIFT_VOUCHER in a GIFT_VOUCHERS campaign");
            }
            if (("DISCOUNT_COUPONS".equals(campaignType) || "REFERRAL_PROGRAM".equals(campaignType))
                    && !"DISCOUNT_VOUCHER".equals(voucher.type())) {
                problems.put("voucher.type", "must be DISCOUNT_VOUCHER in a " + campaignType + " campaign");
            }
        }
        if (vouchersCount != null && (vouchersCount < 0 || vouchersCount > MAX_VOUCHERS_COUNT)) {
            problems.put("vouchers_count", "must be from 0 to " + MAX_VOUCHERS_COUNT);
        }
        if (startDate != null && expirationDate != null && !expirationDate.isAfter(startDate)) {
            problems.put("expiration_date", "must be after start_date");
        }
        if (referralProgram != null) {
            if (!"REFERRAL_PROGRAM".equals(campaignType)) {
                problems.put("referral_program", "is only for REFERRAL_PROGRAM campaigns");
            }
            referralProgram.check(problems);
        }
        if (redemptionsPerCustomer != null && redemptionsPerCustomer < 1) {
            problems.put("redemptions_per_customer", "must be 1 or more, or absent for no limit");
        }
        if (description != null && description.length() > 10_000) {
            problems.put("description", "must be at most 10000 characters");
        }
        if (metadata != null
                && json.writeValueAsString(metadata).getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
            problems.put("metadata", "must be at most " + MAX_METADATA_BYTES + " bytes of JSON");
        }
        var ruleErrors = new LinkedHashMap<String, Object>();
        if (rules != null) {
            for (int i = 0; i < rules.size(); i++) {
                var rule = rules.get(i);
                if (rule == null || rule.expression() == null) {
                    problems.put("rules[" + i + "].expression", "is required");
                    continue;
                }
                try {
                    expressions.predicate(rule.expression(), Rule.VARIABLES);
                } catch (ApiException e) {
                    problems.put("rules[" + i + "].expression", e.getMessage());
                    ruleErrors.put("rules[" + i + "]", e.details());
                }
            }
        }
        if (!ruleErrors.isEmpty()) {
            var details = new LinkedHashMap<String, Object>(problems);
            details.put("errors", ruleErrors);
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "invalid_expression",
                    "A validation rule is not valid CEL: "
                            + problems.entrySet().stream()
                                    .filter(p -> p.getKey().startsWith("rules"))
                                    .findFirst()
                                    .map(p -> p.getKey() + " " + p.getValue())
                                    .orElseThrow(),
                    details);
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid("The campaign has invalid fields", problems);
        }
    }
}
