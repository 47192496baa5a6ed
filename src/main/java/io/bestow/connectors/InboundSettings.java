package io.bestow.connectors;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.bestow.shared.Secrets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a connector's external system calls back into Bestow at {@code POST /v1/inbound/{connector_id}}: how its
 * requests are verified (Standard Webhooks, or an HMAC-SHA256 of the body in a named header), where a request's id is,
 * and the rules that map a request to an effect.
 */
public record InboundSettings(
        String verification,
        @JsonIgnore String secret,
        @Nullable String signatureHeader,
        @Nullable String timestampHeader,
        @Nullable String idPointer,
        long toleranceSeconds,
        List<Rule> rules) {

    public static final String STANDARD_WEBHOOKS = "standard_webhooks";
    public static final String HMAC_SHA256 = "hmac_sha256";

    @JsonProperty("secret")
    public @Nullable String maskedSecret() {
        return Secrets.mask(secret);
    }

    /**
     * A mapping: when {@code when} (CEL over {@code body}, always when absent) holds, the request has this effect;
     * the pointers say where in the body the customer, the code, the amount, a reference and a send are; a send's
     * {@code status} is a pointer too, or a status such as {@code claimed}.
     */
    public record Rule(
            @Nullable String when,
            String effect,
            @Nullable String customer,
            @Nullable String code,
            @Nullable String amount,
            @Nullable String reference,
            @Nullable String send,
            @Nullable String status) {

        public static final String RECONCILE = "reconcile";
        public static final String RECORD_REDEMPTION = "record_redemption";
        public static final String REDEEM_CODE = "redeem_code";
        public static final String SEND_STATUS = "send_status";
    }
}
