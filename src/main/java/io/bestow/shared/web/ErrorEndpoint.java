package io.bestow.shared.web;

import io.bestow.shared.ApiError;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Answers the servlet container's error dispatches (errors raised outside any controller) in the standard shape. */
@RestController
class ErrorEndpoint implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ApiError> error(HttpServletRequest request) {
        var code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        var status = HttpStatus.resolve(code instanceof Integer i ? i : 500);
        if (status == null || status.value() < 400) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        var key =
                switch (status) {
                    case NOT_FOUND -> "not_found";
                    case BAD_REQUEST -> "bad_request";
                    case UNAUTHORIZED -> "unauthorized";
                    case FORBIDDEN -> "forbidden";
                    case METHOD_NOT_ALLOWED -> "method_not_allowed";
                    default -> status.is5xxServerError() ? "internal_error" : "error";
                };
        var message = status.is5xxServerError() ? "Something went wrong on our side" : status.getReasonPhrase();
        return ResponseEntity.status(status).body(ApiError.of(status, key, message, null));
    }
}
