package io.bestow.identity;

import io.bestow.shared.Actor;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/** Loads console users by e-mail for the login form. */
@Component
class ConsoleUsers implements UserDetailsService {

    private final Users users;

    ConsoleUsers(Users users) {
        this.users = users;
    }

    @Override
    public UserDetails loadUserByUsername(String email) {
        var login = users.login(email).orElseThrow(() -> new UsernameNotFoundException("No such user"));
        var actor = new Actor(login.projectId(), Actor.Kind.USER, login.id(), login.role() == Role.ADMIN);
        return new ConsoleUser(login.email(), login.passwordHash(), actor);
    }

    /** A logged-in console user: a Spring Security user that carries the Bestow actor. */
    static final class ConsoleUser extends User implements Actor.Carrier {

        private final Actor actor;

        ConsoleUser(String email, String passwordHash, Actor actor) {
            super(email, passwordHash, ApiKeyAuthentication.authorities(actor));
            this.actor = actor;
        }

        @Override
        public Actor actor() {
            return actor;
        }
    }
}
