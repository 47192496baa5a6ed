package io.bestow.identity;

import io.bestow.shared.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The projects table. */
@Repository
class Projects {

    private final JdbcClient jdbc;

    Projects(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Project> find(ProjectId id) {
        return jdbc.sql("SELECT id, name, created_at FROM identity.projects WHERE id = ?")
                .param(id.value())
                .query(Projects::map)
                .optional();
    }

    Optional<Project> findDefault() {
        return jdbc.sql("SELECT id, name, created_at FROM identity.projects WHERE is_default")
                .query(Projects::map)
                .optional();
    }

    /** Creates the default project unless one exists (another node may be starting at the same time). */
    boolean createDefault(Project project) {
        return jdbc.sql("""
                        INSERT INTO identity.projects (id, name, is_default, created_at) VALUES (?, ?, true, ?)
                        ON CONFLICT DO NOTHING
                        """)
                        .params(project.id().value(), project.name(), Timestamp.from(project.createdAt()))
                        .update()
                == 1;
    }

    void create(Project project) {
        jdbc.sql("INSERT INTO identity.projects (id, name, is_default, created_at) VALUES (?, ?, false, ?)")
                .params(project.id().value(), project.name(), Timestamp.from(project.createdAt()))
                .update();
    }

    private static Project map(ResultSet rs, int row) throws SQLException {
        return new Project(
                new ProjectId(rs.getString("id")),
                rs.getString("name"),
                rs.getTimestamp("created_at").toInstant());
    }
}
