package io.bestow.shared.web;

import io.bestow.shared.ApiError;
import io.bestow.shared.ApiException;
import java.util.LinkedHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.util.StringUtils;
import org.springframework.validation.BindException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every exception a controller lets out into the standard error shape, with a 4xx for a client's mistake. */
@RestControllerAdvice
class ErrorHandling {

    private static final Logger log = LoggerFactory.getLogger(ErrorHandling.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> on(ApiException e) {
        return ResponseEntity.status(e.status()).body(ApiError.of(e));
    }

    @ExceptionHandler(BindException.class)
    ResponseEntity<ApiError> on(BindException e) {
        var fields = new LinkedHashMap<String, String>();
        e.getFieldErrors().forEach(f -> fields.putIfAbsent(snakeCase(f.getField()), f.getDefaultMessage()));
        e.getGlobalErrors().forEach(g -> fields.putIfAbsent(g.getObjectName(), g.getDefaultMessage()));
        return error(HttpStatus.UNPROCESSABLE_ENTITY, "invalid_payload", "The request has invalid fields", fields);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ApiError> on(HandlerMethodValidationException e) {
        var fields = new LinkedHashMap<String, String>();
        e.getParameterValidationResults().forEach(r -> r.getResolvableErrors()
                .forEach(err -> fields.putIfAbsent(
                        snakeCase(r.getMethodParameter().getParameterName()), err.getDefaultMessage())));
        return error(HttpStatus.UNPROCESSABLE_ENTITY, "invalid_payload", "The request has invalid fields", fields);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> on(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiException api) {
                return on(api);
            }
        }
        var cause = e.getMostSpecificCause().getMessage();
        var details = cause == null ? null : cause.lines().findFirst().orElse(null);
        return error(
                HttpStatus.BAD_REQUEST, "malformed_json", "The request body is missing or not valid JSON", details);
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<ApiError> onQuery(Exception e) {
        return error(
                HttpStatus.BAD_REQUEST,
                "invalid_query_params",
                "A query parameter is missing or invalid",
                e.getMessage());
    }

    @ExceptionHandler({MissingRequestHeaderException.class, MissingServletRequestPartException.class})
    ResponseEntity<ApiError> onMissingPart(Exception e) {
        return error(
                HttpStatus.BAD_REQUEST,
                "missing_parameter",
                "A required part of the request is missing",
                e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> on(HttpMediaTypeNotSupportedException e) {
        return error(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Content type " + e.getContentType() + " is not supported here",
                "Supported: " + e.getSupportedMediaTypes());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError> on(HttpMediaTypeNotAcceptableException e) {
        return error(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "No acceptable representation", e.getMessage());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> on(HttpRequestMethodNotSupportedException e) {
        var headers = new HttpHeaders();
        if (e.getSupportedMethods() != null) {
            headers.add(HttpHeaders.ALLOW, String.join(", ", e.getSupportedMethods()));
        }
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .headers(headers)
                .body(ApiError.of(
                        HttpStatus.METHOD_NOT_ALLOWED,
                        "method_not_allowed",
                        "Method " + e.getMethod() + " is not allowed here",
                        headers.getFirst(HttpHeaders.ALLOW) == null
                                ? null
                                : "Allowed: " + headers.getFirst(HttpHeaders.ALLOW)));
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<ApiError> onNotFound(Exception e) {
        return error(HttpStatus.NOT_FOUND, "not_found", "No such resource", null);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ApiError> on(MaxUploadSizeExceededException e) {
        return error(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "The upload is too large", e.getMessage());
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<ApiError> on(DuplicateKeyException e) {
        return error(
                HttpStatus.CONFLICT, "duplicate_found", "A resource with the same unique value already exists", null);
    }

    /**
     * A deadlock or a lock that could not be had in time: the database undid the request, which is safe to send
     * again. 503, so that an idempotent retry with the same key runs again instead of replaying the failure.
     */
    @ExceptionHandler(PessimisticLockingFailureException.class)
    ResponseEntity<ApiError> on(PessimisticLockingFailureException e) {
        log.warn(
                "A request lost a lock conflict and was undone: {}",
                e.getMostSpecificCause().getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(ApiError.of(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "try_again",
                        "Another request changed the same data at the same time; send this one again",
                        null));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ApiError> on(AccessDeniedException e) {
        return error(HttpStatus.FORBIDDEN, "forbidden", "You are not allowed to do this", null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> on(Exception e) {
        log.error("Unexpected error", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong on our side", null);
    }

    private static ResponseEntity<ApiError> error(HttpStatus status, String key, String message, Object details) {
        return ResponseEntity.status(status).body(ApiError.of(status, key, message, details));
    }

    static String snakeCase(String name) {
        return StringUtils.hasText(name)
                ? name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase()
                : name;
    }
}
