package io.bestow.shared;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one error shape of the API: {@code {"code", "key", "message", "details", "request_id"}}, plus, as in
 * Voucherify's, {@code resource_id} and {@code resource_type} when the error concerns one resource (a voucher that
 * does not exist, the failed redemption a refusal recorded).
 *
 * @param details a sentence, or per-field messages for validation errors
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiError(
        int code,
        String key,
        String message,
        @Nullable Object details,
        @Nullable String requestId,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String resourceId,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String resourceType) {

    public static final String REQUEST_ID = "request_id";

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    public static ApiError of(HttpStatus status, String key, String message, @Nullable Object details) {
        return new ApiError(status.value(), key, message, details, MDC.get(REQUEST_ID), null, null);
    }

    /** The error of an {@link ApiException}, with the resource it names, if any. */
    public static ApiError of(ApiException e) {
        return new ApiError(
                e.status().value(),
                e.key(),
                e.getMessage(),
                e.details(),
                MDC.get(REQUEST_ID),
                e.resourceId(),
                e.resourceType());
    }

    /** Writes an error straight to a servlet response, for filters that answer before any controller runs. */
    public static void write(
            HttpServletResponse response, HttpStatus status, String key, String message, @Nullable Object details)
            throws IOException {
        response.resetBuffer();
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSON.writeValueAsString(of(status, key, message, details)));
        response.flushBuffer();
    }
}
