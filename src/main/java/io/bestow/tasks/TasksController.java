package io.bestow.tasks;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /v1/tasks}: calls to action for the account team. */
@RestController
@Tag(name = "Tasks")
class TasksController {

    private final TaskManagement tasks;

    TasksController(TaskManagement tasks) {
        this.tasks = tasks;
    }

    @PostMapping("/v1/tasks")
    @ResponseStatus(HttpStatus.CREATED)
    Task create(ProjectId project, @RequestBody JsonNode body) {
        return tasks.create(project, body);
    }

    /** Newest first; filter by {@code status}, {@code assignee}, {@code customer_id} and {@code program_id}. */
    @GetMapping("/v1/tasks")
    Map<String, Object> list(
            ProjectId project,
            Paging paging,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String assignee,
            @RequestParam(name = "customer_id", required = false) @Nullable String customerId,
            @RequestParam(name = "program_id", required = false) @Nullable String programId) {
        var filter = new TaskManagement.Filter(status, assignee, customerId, programId);
        return paging.list("tasks", tasks.tasks(project, filter, paging), tasks.countTasks(project, filter));
    }

    @GetMapping("/v1/tasks/{id}")
    Task get(ProjectId project, @PathVariable String id) {
        return tasks.task(project, id);
    }

    /** Changes an open task, or closes it with {@code "status": "done"} or {@code "cancelled"}. */
    @PutMapping("/v1/tasks/{id}")
    Task update(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        return tasks.update(project, id, body);
    }
}
