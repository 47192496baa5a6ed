package io.bestow.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Tasks over the API: created, listed by assignee and status, closed once. */
@BestowTest
class TasksIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    TestApi api;

    @BeforeEach
    void tenant() {
        api = fixtures.tenant(port).api();
    }

    @Test
    void aTaskIsCreatedForACustomerListedAndClosedOnce() {
        api.post("/v1/customers", "{\"source_id\": \"task-1\", \"email\": \"t@example.com\"}");
        var created = api.post("/v1/tasks", """
                {"title": "Check in", "customer": {"source_id": "task-1"}, "assignee": "alice@example.com", "due_in_days": 14}
                """);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var task = created.json();
        assertThat(task.get("status").asString()).isEqualTo("open");
        assertThat(task.get("due_at").asString()).isNotBlank();
        assertThat(task.get("origin").asString()).isEqualTo("api");
        api.post("/v1/tasks", "{\"title\": \"Someone else's\", \"assignee\": \"bob@example.com\"}");

        var alices = api.get("/v1/tasks?assignee=alice@example.com&status=open").json();
        assertThat(alices.get("total").asInt()).isEqualTo(1);
        assertThat(alices.get("tasks").get(0).get("id").asString())
                .isEqualTo(task.get("id").asString());

        var id = task.get("id").asString();
        var moved = api.put("/v1/tasks/" + id, "{\"assignee\": \"carol@example.com\"}");
        assertThat(moved.json().get("assignee").asString()).isEqualTo("carol@example.com");
        var done = api.put("/v1/tasks/" + id, "{\"status\": \"done\"}");
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().get("closed_at").asString()).isNotBlank();
        var again = api.put("/v1/tasks/" + id, "{\"status\": \"cancelled\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("key").asString()).isEqualTo("task_closed");
        assertThat(api.get("/v1/events?type=task.done").json().get("events")).hasSize(1);
    }

    @Test
    void badTasksAreRefusedWithTheFieldThatIsWrong() {
        assertThat(api.post("/v1/tasks", "{}").json().path("details").has("title"))
                .isTrue();
        assertThat(api.post("/v1/tasks", "{\"title\": \"x\", \"due_in_days\": -1}")
                        .status())
                .isEqualTo(422);
        assertThat(api.post("/v1/tasks", "{\"title\": \"x\", \"due_at\": \"tomorrow\"}")
                        .status())
                .isEqualTo(422);
        assertThat(api.post("/v1/tasks", "{\"title\": \"x\", \"colour\": \"red\"}")
                        .status())
                .isEqualTo(422);
        assertThat(api.post("/v1/tasks", "{\"title\": \"x\", \"customer\": \"nobody\"}")
                        .status())
                .isEqualTo(404);
        assertThat(api.put("/v1/tasks/task_nope", "{\"status\": \"done\"}").status())
                .isEqualTo(404);
        var created =
                api.post("/v1/tasks", "{\"title\": \"x\"}").json().get("id").asString();
        assertThat(api.put("/v1/tasks/" + created, "{\"status\": \"later\"}").status())
                .isEqualTo(422);
    }
}
