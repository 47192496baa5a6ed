package io.bestow.connectors;

import io.bestow.shared.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * {@code /oauth/callback}: where an OAuth 2.0 provider sends the admin's browser back. It needs no session: the
 * single-use state it carries names the flow, and the PKCE verifier stored with it proves the code's origin.
 */
@RestController
class OAuthCallbackController {

    private final ConnectorManagement connectors;

    OAuthCallbackController(ConnectorManagement connectors) {
        this.connectors = connectors;
    }

    @GetMapping(value = "/oauth/callback", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> callback(
            @RequestParam(required = false) @Nullable String state,
            @RequestParam(required = false) @Nullable String code,
            @RequestParam(required = false) @Nullable String error,
            @RequestParam(name = "error_description", required = false) @Nullable String description) {
        if (error != null) {
            return page(
                    HttpStatus.BAD_REQUEST,
                    "Authorization refused",
                    "The provider answered: " + error + (description == null ? "" : " (" + description + ")"));
        }
        if (state == null || code == null) {
            return page(HttpStatus.BAD_REQUEST, "Authorization failed", "The provider sent no code or state.");
        }
        try {
            var connector = connectors.completeAuthorization(state, code);
            return page(
                    HttpStatus.OK,
                    "Connector authorized",
                    connector.name() + " is authorized. You can close this window.");
        } catch (ApiException e) {
            return page(HttpStatus.BAD_REQUEST, "Authorization failed", e.getMessage());
        }
    }

    private static ResponseEntity<String> page(HttpStatus status, String title, String message) {
        var html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
                + HtmlUtils.htmlEscape(title) + " · Bestow</title></head><body><main><h1>" + HtmlUtils.htmlEscape(title)
                + "</h1><p>" + HtmlUtils.htmlEscape(message) + "</p></main></body></html>";
        return ResponseEntity.status(status).contentType(MediaType.TEXT_HTML).body(html);
    }
}
