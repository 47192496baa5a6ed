package io.bestow.identity;

import io.bestow.shared.ApiError;
import jakarta.servlet.DispatcherType;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * One filter chain for everything: API calls authenticate with a key pair (no session, no CSRF token needed) or
 * with the console session (CSRF token required for writes); console pages use the login form.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final RequestMatcher API = request -> request.getRequestURI().startsWith("/v1/");

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, IdentityManagement identity) throws Exception {
        http.addFilterBefore(new ApiKeyAuthentication(identity), UsernamePasswordAuthenticationFilter.class)
                // A streamed response finishes in an async dispatch of a request that was already authorized.
                .authorizeHttpRequests(requests -> requests.dispatcherTypeMatchers(DispatcherType.ASYNC)
                        .permitAll()
                        .requestMatchers(
                                "/login",
                                "/error",
                                "/css/**",
                                "/js/**",
                                "/favicon.ico",
                                "/claim/**",
                                "/oauth/callback",
                                "/v1/inbound/**",
                                "/demo/**",
                                "/actuator/health/**",
                                "/actuator/info",
                                "/actuator/prometheus",
                                "/v3/api-docs/**",
                                "/swagger-ui/**",
                                "/swagger-ui.html")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .formLogin(form -> form.loginPage("/login")
                        .usernameParameter("email")
                        .defaultSuccessUrl("/", true)
                        .permitAll())
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
                // Inbound callbacks carry their own signature instead of a session.
                .csrf(csrf -> csrf.requireCsrfProtectionMatcher(request -> !SAFE_METHODS.contains(request.getMethod())
                        && request.getHeader(ApiKeyAuthentication.APP_ID) == null
                        && !request.getRequestURI().startsWith("/v1/inbound/")
                        && !request.getRequestURI().startsWith("/demo/")))
                .exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(
                                (request, response, e) -> ApiError.write(
                                        response,
                                        HttpStatus.UNAUTHORIZED,
                                        "unauthorized",
                                        "Missing credentials: send X-App-Id and X-App-Token",
                                        null),
                                API)
                        .defaultAuthenticationEntryPointFor(
                                new LoginUrlAuthenticationEntryPoint("/login"), request -> true)
                        .defaultAccessDeniedHandlerFor(
                                (request, response, e) -> ApiError.write(
                                        response,
                                        HttpStatus.FORBIDDEN,
                                        "forbidden",
                                        "You are not allowed to do this",
                                        e.getMessage()),
                                API));
        return http.build();
    }
}
