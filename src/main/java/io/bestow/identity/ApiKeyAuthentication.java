package io.bestow.identity;

import io.bestow.shared.Actor;
import io.bestow.shared.ApiError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates API calls by their {@code X-App-Id} and {@code X-App-Token} headers. A request that carries either
 * header must carry a valid pair: a wrong one gets 401 at once rather than falling back to a session.
 */
class ApiKeyAuthentication extends OncePerRequestFilter {

    static final String APP_ID = "X-App-Id";
    static final String APP_TOKEN = "X-App-Token";

    private final IdentityManagement identity;

    ApiKeyAuthentication(IdentityManagement identity) {
        this.identity = identity;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var appId = request.getHeader(APP_ID);
        var token = request.getHeader(APP_TOKEN);
        if (appId == null && token == null) {
            chain.doFilter(request, response);
            return;
        }
        var actor = appId == null || token == null
                ? null
                : identity.authenticate(appId.trim(), token.trim()).orElse(null);
        if (actor == null) {
            ApiError.write(
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "unauthorized",
                    "Invalid credentials: check X-App-Id and X-App-Token",
                    null);
            return;
        }
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(actor, null, authorities(actor)));
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }

    static List<SimpleGrantedAuthority> authorities(Actor actor) {
        return List.of(new SimpleGrantedAuthority(actor.admin() ? "ROLE_ADMIN" : "ROLE_MEMBER"));
    }
}
