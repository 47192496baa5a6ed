package io.bestow.connectors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An action's request as rendered for one call: exactly what is sent, before the credentials are added. */
record RenderedRequest(
        String method,
        String url,
        Map<String, String> headers,
        @Nullable String body) {

    /** The request as the API and the call log show it: every secret replaced by its mask. */
    Map<String, Object> shown(List<String> secrets) {
        var shown = new LinkedHashMap<String, Object>();
        shown.put("method", method);
        shown.put("url", Masking.mask(url, secrets));
        var maskedHeaders = new LinkedHashMap<String, String>();
        headers.forEach((name, value) -> maskedHeaders.put(name, Masking.header(name, value, secrets)));
        shown.put("headers", maskedHeaders);
        if (body != null) {
            shown.put("body", Masking.mask(body, secrets));
        }
        return shown;
    }
}
