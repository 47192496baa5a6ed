package io.bestow.identity;

import io.bestow.TestApi;
import io.bestow.shared.Ids;
import io.bestow.shared.ProjectId;
import org.springframework.stereotype.Component;

/** Builds projects with keys and users for tests, each isolated from the others. */
@Component
public class IdentityFixtures {

    public static final String BOOTSTRAP_APP_ID = "app_test";
    public static final String BOOTSTRAP_APP_TOKEN = "sk_test_0123456789abcdefghijklmnopqrstuv";
    public static final String BOOTSTRAP_ADMIN = "admin@test.bestow.local";
    public static final String BOOTSTRAP_PASSWORD = "test-admin-password";

    private final IdentityManagement identity;

    IdentityFixtures(IdentityManagement identity) {
        this.identity = identity;
    }

    /** A new project with an admin key pair, seen through the API at the given port. */
    public Tenant tenant(int port) {
        var project = identity.createProject("Project " + Ids.random(6));
        var key = identity.createApiKey(project.id(), "test key", Role.ADMIN);
        return new Tenant(project.id(), key, TestApi.at(port).as(key.key().appId(), key.appToken()));
    }

    /** A key of the given role for an existing project. */
    public TestApi keyFor(ProjectId project, Role role, int port) {
        var key = identity.createApiKey(project, role.value() + " key", role);
        return TestApi.at(port).as(key.key().appId(), key.appToken());
    }

    public User user(ProjectId project, String email, String password, Role role) {
        return identity.createUser(project, email, "Test User", password, role);
    }

    /** A project, its first key pair, and the API as that key sees it. */
    public record Tenant(ProjectId project, IssuedApiKey key, TestApi api) {}
}
