package io.bestow.webhooks;

import io.bestow.shared.ProjectId;
import java.sql.Timestamp;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Inbound callbacks received, once per connector and sender's id. */
@Repository
class InboundCalls {

    private final JdbcClient jdbc;

    InboundCalls(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a callback; false when one with its id came before. */
    boolean insert(String id, ProjectId project, String connectorId, String messageId, String body, Instant at) {
        return jdbc.sql("""
                        INSERT INTO webhooks.inbound (id, project_id, connector_id, message_id, body, received_at)
                        VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?)
                        ON CONFLICT (connector_id, message_id) DO NOTHING
                        """)
                        .params(id, project.value(), connectorId, messageId, body, Timestamp.from(at))
                        .update()
                == 1;
    }

    void effect(String id, @Nullable String effect) {
        jdbc.sql("UPDATE webhooks.inbound SET effect = ? WHERE id = ?")
                .params(effect, id)
                .update();
    }
}
