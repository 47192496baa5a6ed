package io.bestow.shared;

import java.io.Serializable;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling: an API key or a console user, always inside one project. Controllers receive it (or just its
 * {@link ProjectId}) as a method argument.
 */
public record Actor(ProjectId projectId, Kind kind, String id, boolean admin) implements Serializable {

    /** What authenticated the caller. */
    public enum Kind {
        API_KEY,
        USER,
        SYSTEM
    }

    /** Something that carries an actor, such as a console user's session principal. */
    public interface Carrier {
        Actor actor();
    }

    public static Actor system(ProjectId projectId) {
        return new Actor(projectId, Kind.SYSTEM, "system", true);
    }

    /** The actor of the current request, if one is authenticated. */
    public static Optional<Actor> current() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            return Optional.empty();
        }
        return switch (authentication.getPrincipal()) {
            case Actor actor -> Optional.of(actor);
            case Carrier carrier -> Optional.of(carrier.actor());
            case null, default -> Optional.empty();
        };
    }

    /** Who acted, as audit records name it: {@code api_key:<id>}, {@code user:<id>} or {@code system}. */
    public String label() {
        return kind == Kind.SYSTEM ? "system" : kind.name().toLowerCase(Locale.ROOT) + ":" + id;
    }

    /** The label of the current request's actor, or {@code system} outside a request. */
    public static String currentLabel() {
        return current().map(Actor::label).orElse("system");
    }

    /** The event source this actor stands for, as written into event metadata. */
    public String source() {
        return switch (kind) {
            case API_KEY -> "API";
            case USER -> "CONSOLE";
            case SYSTEM -> "SYSTEM";
        };
    }
}
