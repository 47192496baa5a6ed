package io.bestow.codes;

import io.bestow.shared.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A validation or redemption request, in Voucherify's stackable shape ({@code redeemables}, {@code order}, {@code
 * customer}, {@code metadata}) or its single-code shape ({@code POST /v1/vouchers/{code}/redemption} with {@code
 * gift.credits}); both parse to this.
 */
record RedemptionRequest(
        List<Redeemable> redeemables,
        @Nullable JsonNode customer,
        Order order,
        Map<String, Object> metadata,
        @Nullable String trackingId) {

    static final int MAX_REDEEMABLES = 30;

    /** One code to apply, with the gift credit to draw from it when it is a gift voucher. */
    record Redeemable(String code, @Nullable Long credits) {}

    /** The order the codes apply to; amounts are in minor units. */
    record Order(
            @Nullable String id,
            @Nullable String sourceId,
            @Nullable Long amount,
            @Nullable String currency,
            @Nullable String status,
            List<Map<String, Object>> items,
            Map<String, Object> metadata) {

        /** The price and count of the items of a product, for {@code UNIT} discounts. */
        long[] units(String product) {
            long price = 0;
            long quantity = 0;
            for (var item : items) {
                if (product.equals(item.get("product_id"))
                        || product.equals(item.get("sku_id"))
                        || product.equals(item.get("source_id"))) {
                    long q = item.get("quantity") instanceof Number n ? n.longValue() : 1;
                    quantity += q;
                    if (item.get("price") instanceof Number p) {
                        price = p.longValue();
                    } else if (item.get("amount") instanceof Number a && q > 0) {
                        price = a.longValue() / q;
                    }
                }
            }
            return new long[] {price, quantity};
        }

        /** The order as rules see it: {@code order.amount}, {@code order.items}, {@code order.metadata}. */
        Map<String, Object> asVariables() {
            var variables = new LinkedHashMap<String, Object>();
            if (id != null) {
                variables.put("id", id);
            }
            if (sourceId != null) {
                variables.put("source_id", sourceId);
            }
            if (amount != null) {
                variables.put("amount", amount);
            }
            if (currency != null) {
                variables.put("currency", currency);
            }
            variables.put("items", items);
            variables.put("items_count", (long) items.size());
            variables.put("metadata", metadata);
            return variables;
        }
    }

    /** Parses the stackable shape; every problem with the request itself is a 400 with nothing recorded. */
    static RedemptionRequest stackable(JsonNode body, JsonMapper json) {
        requireObject(body);
        var list = body.path("redeemables");
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_REDEEMABLES) {
            throw invalid("redeemables", "must be a list of 1 to " + MAX_REDEEMABLES + " redeemables");
        }
        var redeemables = new ArrayList<Redeemable>();
        var seen = new LinkedHashSet<String>();
        for (int i = 0; i < list.size(); i++) {
            var item = list.get(i);
            var object = item.path("object");
            var id = item.path("id");
            if (!id.isString() || id.asString().isBlank()) {
                throw invalid("redeemables[" + i + "].id", "is required: the code to apply");
            }
            if (!object.isMissingNode() && !"voucher".equals(object.asString(""))) {
                throw invalid("redeemables[" + i + "].object", "must be voucher");
            }
            if (!seen.add(id.asString())) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "duplicated_redeemables",
                        "Duplicated redeemables detected in one redemption",
                        id.asString());
            }
            redeemables.add(new Redeemable(id.asString(), credits(item.path("gift"), "redeemables[" + i + "].gift")));
        }
        return new RedemptionRequest(
                redeemables, customer(body), order(body.path("order"), json), metadata(body, json), tracking(body));
    }

    /** Parses the single-code shape of {@code /v1/vouchers/{code}/validate} and {@code /redemption}. */
    static RedemptionRequest single(String code, @Nullable JsonNode body, JsonMapper json) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            body = json.createObjectNode();
        }
        requireObject(body);
        return new RedemptionRequest(
                List.of(new Redeemable(code, credits(body.path("gift"), "gift"))),
                customer(body),
                order(body.path("order"), json),
                metadata(body, json),
                tracking(body));
    }

    private static void requireObject(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.invalid("The request must be a JSON object", null);
        }
    }

    private static @Nullable Long credits(JsonNode gift, String path) {
        if (gift.isMissingNode() || gift.isNull()) {
            return null;
        }
        var credits = gift.path("credits");
        if (credits.isMissingNode() || credits.isNull()) {
            return null;
        }
        if (!credits.isIntegralNumber() || credits.asLong() < 1) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_amount",
                    path + ".credits must be an amount in minor units, 1 or more",
                    Map.of(path + ".credits", "must be an amount in minor units, 1 or more"));
        }
        return credits.asLong();
    }

    private static @Nullable JsonNode customer(JsonNode body) {
        var customer = body.path("customer");
        return customer.isMissingNode() || customer.isNull() ? null : customer;
    }

    private static @Nullable String tracking(JsonNode body) {
        var tracking = body.path("tracking_id");
        return tracking.isString() && !tracking.asString().isBlank() ? tracking.asString() : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(JsonNode body, JsonMapper json) {
        var metadata = body.path("metadata");
        if (metadata.isMissingNode() || metadata.isNull()) {
            return Map.of();
        }
        if (!metadata.isObject()) {
            throw invalid("metadata", "must be a JSON object");
        }
        return json.convertValue(metadata, LinkedHashMap.class);
    }

    @SuppressWarnings("unchecked")
    private static Order order(JsonNode order, JsonMapper json) {
        if (order.isMissingNode() || order.isNull()) {
            return new Order(null, null, null, null, null, List.of(), Map.of());
        }
        if (!order.isObject()) {
            throw invalid("order", "must be a JSON object");
        }
        var items = new ArrayList<Map<String, Object>>();
        var itemsNode = order.path("items");
        long itemsTotal = 0;
        boolean itemsHaveAmounts = false;
        if (!itemsNode.isMissingNode() && !itemsNode.isNull()) {
            if (!itemsNode.isArray()) {
                throw invalid("order.items", "must be a list");
            }
            for (int i = 0; i < itemsNode.size(); i++) {
                var item = itemsNode.get(i);
                if (!item.isObject()) {
                    throw invalid("order.items[" + i + "]", "must be a JSON object");
                }
                long quantity = nonNegative(item.path("quantity"), "order.items[" + i + "].quantity", 1);
                long price = nonNegative(item.path("price"), "order.items[" + i + "].price", -1);
                long amount = nonNegative(item.path("amount"), "order.items[" + i + "].amount", -1);
                if (amount < 0 && price >= 0) {
                    amount = price * quantity;
                }
                var copy = (Map<String, Object>) json.convertValue(item, LinkedHashMap.class);
                if (amount >= 0) {
                    copy.put("amount", amount);
                    itemsTotal += amount;
                    itemsHaveAmounts = true;
                }
                items.add(copy);
            }
        }
        Long amount = null;
        var amountNode = order.path("amount");
        if (!amountNode.isMissingNode() && !amountNode.isNull()) {
            if (!amountNode.isIntegralNumber() || amountNode.asLong() < 0) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "invalid_amount",
                        "order.amount must be an amount in minor units, 0 or more",
                        Map.of("order.amount", "must be an amount in minor units, 0 or more"));
            }
            amount = amountNode.asLong();
        } else if (itemsHaveAmounts) {
            amount = itemsTotal;
        }
        var currency = order.path("currency");
        if (!currency.isMissingNode()
                && !currency.isNull()
                && !currency.asString("").matches("[A-Z]{3}")) {
            throw invalid("order.currency", "must be an ISO 4217 code such as USD");
        }
        var metadata = order.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isNull() && !metadata.isObject()) {
            throw invalid("order.metadata", "must be a JSON object");
        }
        return new Order(
                text(order.path("id")),
                text(order.path("source_id")),
                amount,
                text(currency),
                text(order.path("status")),
                items,
                metadata.isObject() ? json.convertValue(metadata, LinkedHashMap.class) : Map.of());
    }

    private static long nonNegative(JsonNode node, String path, long absent) {
        if (node.isMissingNode() || node.isNull()) {
            return absent;
        }
        if (!node.isIntegralNumber() || node.asLong() < 0) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_amount",
                    path + " must be a whole number, 0 or more",
                    Map.of(path, "must be a whole number, 0 or more"));
        }
        return node.asLong();
    }

    private static @Nullable String text(JsonNode node) {
        return node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    private static ApiException invalid(String field, String problem) {
        return new ApiException(
                HttpStatus.BAD_REQUEST, "invalid_payload", field + " " + problem, Map.of(field, problem));
    }
}
