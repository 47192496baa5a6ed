package io.bestow.shared;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** The address people reach Bestow at: {@code BESTOW_PUBLIC_URL}, or this node's own port on localhost. */
@Component
public class PublicUrl {

    private final String configured;
    private final Environment environment;

    PublicUrl(@Value("${bestow.public-url:}") String configured, Environment environment) {
        this.configured = configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        this.environment = environment;
    }

    public String base() {
        if (!configured.isBlank()) {
            return configured;
        }
        var port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return "http://localhost:" + port;
    }

    /** The absolute URL of a path such as {@code /claim/abc}. */
    public String of(String path) {
        return base() + path;
    }
}
