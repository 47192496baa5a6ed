package io.bestow.webhooks;

import io.bestow.codes.Redemptions;
import io.bestow.connectors.ConnectorManagement;
import io.bestow.connectors.InboundCallback;
import io.bestow.connectors.InboundSettings;
import io.bestow.customers.CustomerManagement;
import io.bestow.gifts.SendManagement;
import io.bestow.gifts.SendStatus;
import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Expressions;
import io.bestow.shared.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * Takes callbacks from external systems at {@code POST /v1/inbound/{connector_id}}: verifies them with the
 * connector's inbound secret (Standard Webhooks, or an HMAC-SHA256 of the body in a named header, with a timestamp
 * tolerance), stores each once by its id, and applies the first matching rule's effect in the same transaction. A
 * replayed id is answered without effect; an effect that cannot apply stores nothing, so the sender can retry.
 */
@Service
class ReceivingCallbacks {

    /** What became of a callback. */
    record Received(String id, boolean duplicate, @Nullable String effect, Map<String, Object> result) {}

    private final ConnectorManagement connectors;
    private final InboundCalls calls;
    private final CustomerManagement customers;
    private final Redemptions redemptions;
    private final SendManagement sends;
    private final Expressions expressions;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    ReceivingCallbacks(
            ConnectorManagement connectors,
            InboundCalls calls,
            CustomerManagement customers,
            Redemptions redemptions,
            SendManagement sends,
            Expressions expressions,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.connectors = connectors;
        this.calls = calls;
        this.customers = customers;
        this.redemptions = redemptions;
        this.sends = sends;
        this.expressions = expressions;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public Received receive(String connectorId, HttpHeaders headers, String body) {
        var callback = connectors
                .inboundCallback(connectorId)
                .orElseThrow(() -> ApiException.notFound("inbound connector", connectorId));
        var settings = callback.settings();
        var messageId = verify(settings, headers, body);
        JsonNode payload;
        try {
            payload = json.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.invalid("The body is not JSON", null);
        }
        if (!payload.isObject()) {
            throw ApiException.invalid("The body must be a JSON object", null);
        }
        if (messageId == null) {
            var id = payload.at(JsonPointer.compile(Objects.requireNonNull(settings.idPointer())));
            if (!id.isString() && !id.isNumber()) {
                throw ApiException.invalid(
                        "The body has no id at " + settings.idPointer(), Map.of("id", "is required for deduplication"));
            }
            messageId = id.asString();
        }
        var id = Ids.generate("in");
        var now = clock.instant();
        if (!calls.insert(id, callback.project(), connectorId, messageId, body, now)) {
            return new Received(id, true, null, Map.of());
        }
        Map<String, Object> variables =
                Map.of("body", json.convertValue(payload, new TypeReference<Map<String, Object>>() {}));
        var rule = settings.rules().stream()
                .filter(r -> r.when() == null
                        || expressions.predicate(r.when(), "body").test(variables))
                .findFirst();
        if (rule.isEmpty()) {
            return new Received(id, false, null, Map.of());
        }
        var result = apply(callback, rule.get(), payload, messageId);
        calls.effect(id, rule.get().effect());
        events.publishEvent(new OfferReconciled(EventMeta.of(callback.project(), clock), result));
        return new Received(id, false, rule.get().effect(), result);
    }

    private Map<String, Object> apply(
            InboundCallback callback, InboundSettings.Rule rule, JsonNode payload, String messageId) {
        var project = callback.project();
        var result = new LinkedHashMap<String, Object>();
        result.put("object", "reconciliation");
        result.put("connector_id", callback.connectorId());
        result.put("message_id", messageId);
        result.put("effect", rule.effect());
        var customerRef = text(payload, rule.customer());
        var code = text(payload, rule.code());
        var amount = rule.amount() == null ? MissingNode.getInstance() : payload.at(JsonPointer.compile(rule.amount()));
        var reference = text(payload, rule.reference());
        if (reference != null) {
            result.put("reference", reference);
        }
        if (code != null) {
            result.put("code", code);
        }
        if (amount.isIntegralNumber()) {
            result.put("amount", amount.asLong());
        }
        switch (rule.effect()) {
            case InboundSettings.Rule.RECORD_REDEMPTION -> {
                var customer = customers
                        .findCustomer(project, required(customerRef, rule.customer()))
                        .orElseThrow(() -> new ApiException(
                                HttpStatus.UNPROCESSABLE_ENTITY,
                                "customer_not_found",
                                "No customer " + customerRef + " to record the redemption on"));
                result.put("customer_id", customer.id());
                var activity = new LinkedHashMap<String, Object>(result);
                activity.put("payload", json.convertValue(payload, new TypeReference<Map<String, Object>>() {}));
                customers.recordActivity(project, customer, "external_redemption", "offer.reconciled", activity);
            }
            case InboundSettings.Rule.REDEEM_CODE -> {
                var request = json.createObjectNode();
                request.putArray("redeemables")
                        .addObject()
                        .put("object", "voucher")
                        .put("id", required(code, rule.code()));
                if (customerRef != null) {
                    request.putObject("customer").put("source_id", customerRef);
                }
                var order = request.putObject("order");
                if (amount.isIntegralNumber()) {
                    order.put("amount", amount.asLong());
                }
                var redeemed = redemptions.redeem(project, request);
                result.put("redemption_id", redeemed.getFirst().id());
                if (redeemed.getFirst().customerId() != null) {
                    result.put("customer_id", redeemed.getFirst().customerId());
                }
            }
            case InboundSettings.Rule.SEND_STATUS -> {
                var sendId = required(text(payload, rule.send()), rule.send());
                var given = Objects.requireNonNull(rule.status());
                var status = required(given.startsWith("/") ? text(payload, given) : given, given);
                var next = SendStatus.parse(status.toLowerCase(Locale.ROOT))
                        .filter(s -> SendStatus.REPORTABLE.contains(s))
                        .orElseThrow(() -> new ApiException(
                                HttpStatus.UNPROCESSABLE_ENTITY,
                                "invalid_status",
                                "The callback's status " + status + " is not one a provider reports"));
                var moved = sends.report(
                        project,
                        sendId,
                        next,
                        "connector:" + callback.connectorId(),
                        "inbound:" + messageId,
                        "reported by callback");
                result.put("send_id", sendId);
                result.put("send_status", moved.send().status().value());
                if (customerRef != null) {
                    result.put("customer", customerRef);
                }
            }
            default -> {
                if (customerRef != null) {
                    result.put("customer", customerRef);
                }
            }
        }
        return result;
    }

    /** The message id when the signature names one (Standard Webhooks), else null; throws 401 when unverifiable. */
    private @Nullable String verify(InboundSettings settings, HttpHeaders headers, String body) {
        long now = clock.instant().getEpochSecond();
        if (InboundSettings.STANDARD_WEBHOOKS.equals(settings.verification())) {
            var id = headers.getFirst("webhook-id");
            var timestamp = timestamp(headers.getFirst("webhook-timestamp"));
            var signature = headers.getFirst("webhook-signature");
            if (id == null || timestamp == null || signature == null) {
                throw unverified("webhook-id, webhook-timestamp and webhook-signature are required");
            }
            checkTolerance(settings, timestamp, now);
            if (!Signatures.verify(settings.secret(), signature, id, timestamp, body)) {
                throw unverified("The signature does not match");
            }
            return id;
        }
        if (settings.timestampHeader() != null) {
            var timestamp = timestamp(headers.getFirst(settings.timestampHeader()));
            if (timestamp == null) {
                throw unverified(settings.timestampHeader() + " is required");
            }
            checkTolerance(settings, timestamp, now);
        }
        var given = headers.getFirst(Objects.requireNonNull(settings.signatureHeader()));
        if (given == null) {
            throw unverified(settings.signatureHeader() + " is required");
        }
        var digest = Signatures.hmac(settings.secret().getBytes(StandardCharsets.UTF_8), body);
        var value = given.trim();
        if (value.toLowerCase(Locale.ROOT).startsWith("sha256=")) {
            value = value.substring("sha256=".length());
        }
        var hex = HexFormat.of().formatHex(digest);
        var base64 = Base64.getEncoder().encodeToString(digest);
        boolean valid = MessageDigest.isEqual(
                        hex.getBytes(StandardCharsets.US_ASCII),
                        value.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))
                || MessageDigest.isEqual(
                        base64.getBytes(StandardCharsets.US_ASCII), value.getBytes(StandardCharsets.US_ASCII));
        if (!valid) {
            throw unverified("The signature does not match");
        }
        return null;
    }

    private static void checkTolerance(InboundSettings settings, long timestamp, long now) {
        if (Math.abs(now - timestamp) > settings.toleranceSeconds()) {
            throw unverified("The timestamp is outside the tolerance of " + settings.toleranceSeconds() + " s");
        }
    }

    private static @Nullable Long timestamp(@Nullable String value) {
        try {
            return value == null ? null : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ApiException unverified(String why) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "invalid_signature", "The request is not verified: " + why);
    }

    private static @Nullable String text(JsonNode payload, @Nullable String pointer) {
        if (pointer == null) {
            return null;
        }
        var value = payload.at(JsonPointer.compile(pointer));
        return value.isString() || value.isNumber() ? value.asString() : null;
    }

    private static String required(@Nullable String value, @Nullable String pointer) {
        if (value == null) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY, "missing_field", "The body has nothing at " + pointer);
        }
        return value;
    }
}
