package io.bestow.connectors;

import io.bestow.shared.Secrets;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Keeps secrets out of what is shown and logged: known secret values and credential headers are masked. */
final class Masking {

    private static final Set<String> CREDENTIAL_HEADERS =
            Set.of("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key");

    private Masking() {}

    /** The text with every occurrence of a secret (also URL-encoded) replaced by its mask. */
    static String mask(String text, List<String> secrets) {
        var masked = text;
        for (var secret : secrets) {
            if (secret.length() < 4) {
                continue;
            }
            masked = masked.replace(secret, String.valueOf(Secrets.mask(secret)));
            var encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
            if (!encoded.equals(secret)) {
                masked = masked.replace(encoded, String.valueOf(Secrets.mask(secret)));
            }
        }
        return masked;
    }

    /** A header's value as shown: credential headers are masked whole, others wherever a secret appears. */
    static String header(String name, String value, List<String> secrets) {
        if (CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            var space = value.indexOf(' ');
            var scheme = space > 0 && space < 20 ? value.substring(0, space + 1) : "";
            return scheme + Secrets.mask(value.substring(scheme.length()));
        }
        return mask(value, secrets);
    }
}
