package io.bestow.shared;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import org.springframework.stereotype.Component;

/**
 * Sends outbound HTTP requests through the {@link OutboundGuard}: the target and every redirect (followed here, at
 * most five, never to a refused address) are checked before anything is sent. A redirect to another host keeps only
 * headers that cannot carry a credential.
 */
@Component
public class OutboundHttp {

    private static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /** The headers a redirect to another host keeps: none that could carry a credential. */
    private static final Set<String> SAFE_ACROSS_HOSTS =
            Set.of("accept", "accept-language", "content-type", "user-agent", "idempotency-key");

    private final OutboundGuard guard;
    /** For {@code https}: HTTP/2 where the server offers it (ALPN), else HTTP/1.1. */
    private final HttpClient secure;
    /**
     * For plain {@code http}: HTTP/1.1 only. Asking for HTTP/2 there would offer an upgrade (h2c) with every request,
     * which hardly any server accepts, at about a tenth more work per request.
     */
    private final HttpClient plain;

    OutboundHttp(OutboundGuard guard) {
        this.guard = guard;
        this.secure = client(HttpClient.Version.HTTP_2);
        this.plain = client(HttpClient.Version.HTTP_1_1);
    }

    private static HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder()
                .version(version)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /**
     * Sends the request (with its own timeout) and returns the final response.
     *
     * @throws OutboundRefused when the target or a redirect is refused
     */
    public HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        var current = request;
        for (int hop = 0; ; hop++) {
            guard.check(current.uri());
            var client = "https".equalsIgnoreCase(current.uri().getScheme()) ? secure : plain;
            var response = client.send(current, HttpResponse.BodyHandlers.ofByteArray());
            var location = response.headers().firstValue("Location");
            if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
                return response;
            }
            if (hop == MAX_REDIRECTS) {
                throw new IOException("Too many redirects (more than " + MAX_REDIRECTS + ")");
            }
            current = redirected(current, response.statusCode(), current.uri().resolve(location.get()));
        }
    }

    /**
     * The wait a 429 or 503 answer asks for with {@code Retry-After}, in seconds or as an HTTP date; empty for other
     * answers and for a value that is neither.
     */
    public static Optional<Duration> retryAfter(HttpResponse<?> response, Instant now) {
        if (response.statusCode() != 429 && response.statusCode() != 503) {
            return Optional.empty();
        }
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
            } catch (NumberFormatException e) {
                try {
                    var at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                    var wait = Duration.between(now, at.toInstant());
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (DateTimeParseException ignored) {
                    return Optional.empty();
                }
            }
        });
    }

    private static HttpRequest redirected(HttpRequest request, int status, URI target) {
        boolean sameHost = Objects.equals(request.uri().getHost(), target.getHost())
                && request.uri().getPort() == target.getPort();
        var builder = HttpRequest.newBuilder(
                        request, (name, value) -> sameHost || SAFE_ACROSS_HOSTS.contains(name.toLowerCase(Locale.ROOT)))
                .uri(target);
        if (status == 303
                || ((status == 301 || status == 302) && !request.method().equals("GET"))) {
            builder.method("GET", HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }
}
