package io.bestow.codes;

import io.bestow.shared.ApiException;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /v1/vouchers}, as Voucherify's v1 API has it: paths take a voucher's code. */
@RestController
@RequestMapping("/v1/vouchers")
@Tag(name = "Vouchers")
class VouchersController {

    private final VoucherManagement vouchers;
    private final Redemptions redemptions;
    private final RedemptionViews views;
    private final CodeImport imports;
    private final JsonMapper json;

    VouchersController(
            VoucherManagement vouchers,
            Redemptions redemptions,
            RedemptionViews views,
            CodeImport imports,
            JsonMapper json) {
        this.vouchers = vouchers;
        this.redemptions = redemptions;
        this.views = views;
        this.imports = imports;
        this.json = json;
    }

    /**
     * Imports standalone vouchers with given codes: a list of voucher objects; {@code 202} with the async action that
     * reports what went in and what did not.
     */
    @PostMapping("/import")
    ResponseEntity<Map<String, Object>> importCodes(ProjectId project, @RequestBody JsonNode body) {
        var action = imports.importCodes(project, null, body);
        return ResponseEntity.accepted().body(Map.of("async_action_id", action.id()));
    }

    /** A voucher with a generated code (Voucherify's SDK posts to {@code /v1/vouchers/}). */
    @PostMapping({"", "/"})
    Voucher create(ProjectId project, @RequestBody JsonNode body) {
        return vouchers.create(project, null, body);
    }

    @PostMapping("/{code}")
    Voucher createWithCode(ProjectId project, @PathVariable String code, @RequestBody JsonNode body) {
        return vouchers.create(project, code, body);
    }

    /** Newest first; filters: {@code campaign} (name or id), {@code campaign_id}, {@code customer} (the holder). */
    @GetMapping
    Map<String, Object> list(
            ProjectId project,
            Paging paging,
            @RequestParam(name = "campaign", required = false) @Nullable String campaign,
            @RequestParam(name = "campaign_id", required = false) @Nullable String campaignId,
            @RequestParam(name = "customer", required = false) @Nullable String customer) {
        var which = campaignId != null ? campaignId : campaign;
        return paging.list(
                "vouchers",
                vouchers.vouchers(project, which, customer, paging),
                vouchers.countVouchers(project, which, customer));
    }

    @GetMapping("/{code}")
    Voucher get(ProjectId project, @PathVariable String code) {
        return vouchers.voucher(project, code);
    }

    @PutMapping("/{code}")
    Voucher update(ProjectId project, @PathVariable String code, @RequestBody JsonNode body) {
        return vouchers.update(project, code, body);
    }

    /** Deletes the voucher for good ({@code force} is accepted and implied); its redemptions stay on record. */
    @DeleteMapping("/{code}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(ProjectId project, @PathVariable String code) {
        vouchers.delete(project, code);
    }

    @PostMapping("/{code}/enable")
    Voucher enable(ProjectId project, @PathVariable String code) {
        return vouchers.activate(project, code, true);
    }

    @PostMapping("/{code}/disable")
    Voucher disable(ProjectId project, @PathVariable String code) {
        return vouchers.activate(project, code, false);
    }

    /** Adds credit to a gift voucher: {@code {"amount": 1000}}. */
    @PostMapping("/{code}/balance")
    Map<String, Object> addBalance(ProjectId project, @PathVariable String code, @RequestBody JsonNode body) {
        var amount = body.path("amount");
        if (!amount.isIntegralNumber()) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_add_balance_params",
                    "amount must be an amount in minor units",
                    Map.of("amount", "must be a whole number"));
        }
        var voucher = vouchers.addBalance(project, code, amount.asLong());
        var gift = Objects.requireNonNull(voucher.gift());
        var response = new LinkedHashMap<String, Object>();
        response.put("amount", amount.asLong());
        response.put("total", gift.amount());
        response.put("balance", gift.balance());
        response.put("type", "gift_voucher");
        response.put("object", "balance");
        response.put("related_object", Map.of("type", "voucher", "id", voucher.id()));
        return response;
    }

    /** Validates one code; always 200, with {@code valid} and, when invalid, the {@code reason} and {@code error}. */
    @PostMapping("/{code}/validate")
    Map<String, Object> validate(
            ProjectId project, @PathVariable String code, @RequestBody(required = false) @Nullable JsonNode body) {
        return views.single(redemptions.validate(project, RedemptionRequest.single(code, body, json)));
    }

    /** Redeems one code: the redemption, or a 400 with the reason (the failed attempt is recorded). */
    @PostMapping("/{code}/redemption")
    Redemption redeem(
            ProjectId project,
            @PathVariable String code,
            @RequestParam(name = "tracking_id", required = false) @Nullable String trackingId,
            @RequestBody(required = false) @Nullable JsonNode body) {
        var request = RedemptionRequest.single(code, body, json);
        if (trackingId != null && request.trackingId() == null) {
            request = new RedemptionRequest(
                    request.redeemables(), request.customer(), request.order(), request.metadata(), trackingId);
        }
        return redemptions.redeem(project, request).redemptions().getFirst();
    }

    /** The code's redemptions, newest first, with its limit and use. */
    @GetMapping("/{code}/redemption")
    Map<String, Object> redemptionsOf(ProjectId project, @PathVariable String code, Paging paging) {
        var voucher = vouchers.voucher(project, code);
        var filters = Map.of("voucher", voucher.code());
        var body = new LinkedHashMap<String, Object>();
        body.put("object", "list");
        body.put("quantity", voucher.redemptionQuantity());
        body.put("redeemed_quantity", voucher.redeemedQuantity());
        body.put("redeemed_amount", voucher.redeemedAmount());
        body.putAll(paging.list(
                "redemption_entries",
                redemptions.redemptions(project, filters, paging),
                redemptions.countRedemptions(project, filters)));
        return body;
    }
}
