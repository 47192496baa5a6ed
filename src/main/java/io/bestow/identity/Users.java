package io.bestow.identity;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The console users table. */
@Repository
class Users {

    private static final String COLUMNS = "id, email, name, role, created_at, updated_at";

    private final JdbcClient jdbc;

    Users(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ProjectId project, User user, String passwordHash) {
        jdbc.sql("""
                        INSERT INTO identity.users (id, project_id, email, name, password_hash, role, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                .params(
                        user.id(),
                        project.value(),
                        user.email(),
                        user.name(),
                        passwordHash,
                        user.role().value(),
                        Timestamp.from(user.createdAt()),
                        Timestamp.from(user.updatedAt()))
                .update();
    }

    void update(ProjectId project, User user, String passwordHash) {
        jdbc.sql("""
                        UPDATE identity.users SET name = ?, role = ?, updated_at = ?,
                            password_hash = coalesce(?, password_hash)
                        WHERE project_id = ? AND id = ?
                        """)
                .params(
                        user.name(),
                        user.role().value(),
                        Timestamp.from(user.updatedAt()),
                        passwordHash,
                        project.value(),
                        user.id())
                .update();
    }

    Optional<User> find(ProjectId project, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM identity.users WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(Users::map)
                .optional();
    }

    boolean exists(String email) {
        return jdbc.sql("SELECT count(*) FROM identity.users WHERE lower(email) = lower(?)")
                        .param(email)
                        .query(Long.class)
                        .single()
                > 0;
    }

    List<User> list(ProjectId project, Paging paging) {
        return paging.select(jdbc, COLUMNS, "identity.users", project, "", false)
                .query(Users::map)
                .list();
    }

    long count(ProjectId project) {
        return jdbc.sql("SELECT count(*) FROM identity.users WHERE project_id = ?")
                .param(project.value())
                .query(Long.class)
                .single();
    }

    /** Counts the project's admins, locking them so that two concurrent demotions cannot remove the last one. */
    long lockAdmins(ProjectId project) {
        return jdbc.sql("SELECT id FROM identity.users WHERE project_id = ? AND role = 'admin' FOR UPDATE")
                .param(project.value())
                .query(String.class)
                .list()
                .size();
    }

    void delete(ProjectId project, String id) {
        jdbc.sql("DELETE FROM identity.users WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .update();
    }

    /** What the console login needs of a user, found by e-mail. */
    Optional<Login> login(String email) {
        return jdbc.sql(
                        "SELECT id, project_id, email, password_hash, role FROM identity.users WHERE lower(email) = lower(?)")
                .param(email)
                .query((rs, n) -> new Login(
                        rs.getString("id"),
                        new ProjectId(rs.getString("project_id")),
                        rs.getString("email"),
                        rs.getString("password_hash"),
                        Role.of(rs.getString("role"))))
                .optional();
    }

    record Login(String id, ProjectId projectId, String email, String passwordHash, Role role) {}

    private static User map(ResultSet rs, int row) throws SQLException {
        return new User(
                rs.getString("id"),
                "user",
                rs.getString("email"),
                rs.getString("name"),
                Role.of(rs.getString("role")),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
