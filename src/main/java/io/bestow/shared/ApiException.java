package io.bestow.shared;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** A client-facing error: rendered in the standard error shape with its status, key, message and details. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String key;
    private final @Nullable Object details;
    private @Nullable String resourceId;
    private @Nullable String resourceType;

    public ApiException(HttpStatus status, String key, String message, @Nullable Object details) {
        super(message);
        this.status = status;
        this.key = key;
        this.details = details;
    }

    /** The same error, naming the resource it concerns ({@code resource_id}, {@code resource_type}). */
    public ApiException about(String id, String type) {
        this.resourceId = id;
        this.resourceType = type;
        return this;
    }

    public ApiException(HttpStatus status, String key, String message) {
        this(status, key, message, null);
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", "Cannot find " + what + " with id " + id);
    }

    public static ApiException invalid(String message, @Nullable Object details) {
        return new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "invalid_payload", message, details);
    }

    public static ApiException conflict(String key, String message) {
        return new ApiException(HttpStatus.CONFLICT, key, message);
    }

    public HttpStatus status() {
        return status;
    }

    public String key() {
        return key;
    }

    public @Nullable Object details() {
        return details;
    }

    public @Nullable String resourceId() {
        return resourceId;
    }

    public @Nullable String resourceType() {
        return resourceType;
    }
}
