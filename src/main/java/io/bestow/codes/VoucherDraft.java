package io.bestow.codes;

import io.bestow.campaigns.CodeConfig;
import io.bestow.campaigns.Discount;
import io.bestow.campaigns.Gift;
import io.bestow.campaigns.VoucherTemplate;
import io.bestow.shared.ApiException;
import io.bestow.shared.RequestBodies;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A voucher as a create or update request describes it. */
record VoucherDraft(
        @Nullable String code,
        @Nullable String campaign,
        @Nullable String campaignId,
        @Nullable String category,
        @Nullable String type,
        @Nullable Discount discount,
        @Nullable Gift gift,
        @Nullable CodeConfig codeConfig,
        VoucherTemplate.@Nullable Redemption redemption,
        @Nullable String currency,
        @Nullable Instant startDate,
        @Nullable Instant expirationDate,
        @Nullable Boolean active,
        @Nullable Map<String, Object> metadata) {

    private static final int MAX_METADATA_BYTES = 16 * 1024;

    static VoucherDraft parse(JsonNode body, JsonMapper json) {
        return RequestBodies.read(json, body, VoucherDraft.class, "voucher");
    }

    /** The template a standalone voucher follows, checked; a campaign's vouchers follow the campaign's. */
    VoucherTemplate template() {
        return new VoucherTemplate(type == null ? "" : type, discount, gift, codeConfig, redemption, currency, false);
    }

    void check(@Nullable String pathCode, JsonMapper json) {
        var problems = new LinkedHashMap<String, String>();
        template().check("", problems);
        // The template names fields from an empty path (".discount.amount_off"): drop the leading dot.
        var fields = new LinkedHashMap<String, String>();
        problems.forEach((k, v) -> fields.put(k.substring(1), v));
        checkCommon(pathCode, json, fields);
        if (!fields.isEmpty()) {
            throw ApiException.invalid("The voucher has invalid fields", fields);
        }
    }

    /** The checks that apply to campaign vouchers too. */
    void checkCommon(@Nullable String pathCode, JsonMapper json, Map<String, String> problems) {
        var value = pathCode != null ? pathCode : code;
        if (value != null && (value.isBlank() || value.length() > CodeConfig.MAX_CODE_LENGTH || value.contains("/"))) {
            problems.put("code", "must be 1 to " + CodeConfig.MAX_CODE_LENGTH + " characters, without /");
        }
        if (startDate != null && expirationDate != null && !expirationDate.isAfter(startDate)) {
            problems.put("expiration_date", "must be after start_date");
        }
        if (metadata != null
                && json.writeValueAsString(metadata).getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
            problems.put("metadata", "must be at most " + MAX_METADATA_BYTES + " bytes of JSON");
        }
    }
}
