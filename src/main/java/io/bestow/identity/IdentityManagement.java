package io.bestow.identity;

import io.bestow.shared.Actor;
import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Hashes;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.RecentCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Projects, API keys and users: the identity module's API. */
@Service
public class IdentityManagement {

    /** How stale a key's last-used time may get before a request writes it again. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    /**
     * How long a node trusts key credentials it has read without reading them again. A revocation takes effect at
     * once on the node that made it and within this time on the others.
     */
    static final Duration CREDENTIALS_TTL = Duration.ofSeconds(5);

    /** Credentials by app id, read at most once per {@link #CREDENTIALS_TTL}; only existing, active keys. */
    private final RecentCache<String, ApiKeys.Credentials> remembered;

    private final Projects projects;
    private final ApiKeys apiKeys;
    private final Users users;
    private final PasswordEncoder passwords;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    IdentityManagement(
            Projects projects,
            ApiKeys apiKeys,
            Users users,
            PasswordEncoder passwords,
            ApplicationEventPublisher events,
            Clock clock) {
        this.projects = projects;
        this.apiKeys = apiKeys;
        this.users = users;
        this.passwords = passwords;
        this.events = events;
        this.clock = clock;
        this.remembered = new RecentCache<>(CREDENTIALS_TTL, clock);
    }

    public Project project(ProjectId id) {
        return projects.find(id).orElseThrow(() -> ApiException.notFound("project", id.value()));
    }

    @Transactional
    public Project createProject(String name) {
        var project = new Project(ProjectId.generate(), name, clock.instant());
        projects.create(project);
        events.publishEvent(new ProjectCreated(EventMeta.of(project.id(), clock), project));
        return project;
    }

    // API keys

    public List<ApiKey> apiKeys(ProjectId project, Paging paging) {
        return apiKeys.list(project, paging);
    }

    public long countApiKeys(ProjectId project) {
        return apiKeys.count(project);
    }

    public ApiKey apiKey(ProjectId project, String id) {
        return apiKeys.find(project, id).orElseThrow(() -> ApiException.notFound("api key", id));
    }

    @Transactional
    public IssuedApiKey createApiKey(ProjectId project, String name, Role role) {
        return issue(project, name, role, "app_" + Ids.random(20), "sk_" + Ids.random(40));
    }

    IssuedApiKey issue(ProjectId project, String name, Role role, String appId, String token) {
        var key = new ApiKey(
                Ids.generate("key"),
                "api_key",
                name,
                appId,
                token.substring(token.length() - 4),
                role,
                clock.instant(),
                null,
                null);
        apiKeys.insert(project, key, Hashes.sha256Hex(token));
        events.publishEvent(new ApiKeyCreated(EventMeta.of(project, clock), key));
        return new IssuedApiKey(key, token);
    }

    @Transactional
    public ApiKey revokeApiKey(ProjectId project, String id) {
        var existing = apiKey(project, id);
        if (!apiKeys.revoke(project, id, clock.instant())) {
            return existing;
        }
        var revoked = apiKey(project, id);
        remembered.forgetAfterCommit(revoked.appId());
        events.publishEvent(new ApiKeyRevoked(EventMeta.of(project, clock), revoked));
        return revoked;
    }

    /** The caller a key pair stands for, if the pair is valid and not revoked. */
    public Optional<Actor> authenticate(String appId, String token) {
        var now = clock.instant();
        return remembered
                .get(appId, apiKeys::credentials)
                .filter(c -> MessageDigest.isEqual(
                        c.tokenHash().getBytes(StandardCharsets.US_ASCII),
                        Hashes.sha256Hex(token).getBytes(StandardCharsets.US_ASCII)))
                .map(c -> {
                    if (c.lastUsedAt() == null || c.lastUsedAt().isBefore(now.minus(TOUCH_INTERVAL))) {
                        apiKeys.touch(c.id(), now);
                        remembered.refresh(appId, c.usedAt(now));
                    }
                    return new Actor(c.projectId(), Actor.Kind.API_KEY, c.id(), c.role() == Role.ADMIN);
                });
    }

    // Users

    public List<User> users(ProjectId project, Paging paging) {
        return users.list(project, paging);
    }

    public long countUsers(ProjectId project) {
        return users.count(project);
    }

    public User user(ProjectId project, String id) {
        return users.find(project, id).orElseThrow(() -> ApiException.notFound("user", id));
    }

    @Transactional
    public User createUser(ProjectId project, String email, @Nullable String name, String password, Role role) {
        if (users.exists(email)) {
            throw ApiException.conflict("duplicate_found", "A user with e-mail " + email + " already exists");
        }
        var now = clock.instant();
        var user = new User(Ids.generate("user"), "user", email.trim(), name, role, now, now);
        users.insert(project, user, passwords.encode(password));
        events.publishEvent(new UserCreated(EventMeta.of(project, clock), user));
        return user;
    }

    @Transactional
    public User updateUser(
            ProjectId project, String id, @Nullable String name, @Nullable String password, @Nullable Role role) {
        var existing = user(project, id);
        var newRole = role == null ? existing.role() : role;
        if (existing.role() == Role.ADMIN && newRole != Role.ADMIN && users.lockAdmins(project) <= 1) {
            throw ApiException.conflict("last_admin", "A project keeps at least one admin");
        }
        var updated = new User(
                id,
                "user",
                existing.email(),
                name == null ? existing.name() : name,
                newRole,
                existing.createdAt(),
                clock.instant());
        users.update(project, updated, password == null ? null : passwords.encode(password));
        events.publishEvent(new UserUpdated(EventMeta.of(project, clock), updated));
        return updated;
    }

    @Transactional
    public void deleteUser(ProjectId project, String id) {
        var existing = user(project, id);
        if (existing.role() == Role.ADMIN && users.lockAdmins(project) <= 1) {
            throw ApiException.conflict("last_admin", "A project keeps at least one admin");
        }
        users.delete(project, id);
        events.publishEvent(new UserDeleted(EventMeta.of(project, clock), existing));
    }
}
