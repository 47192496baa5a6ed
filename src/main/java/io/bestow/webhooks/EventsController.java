package io.bestow.webhooks;

import io.bestow.shared.ApiException;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/events}: the pull feed, oldest first. A consumer keeps the id of the last event it processed and
 * asks for {@code starting_after} it.
 */
@RestController
@RequestMapping("/v1/events")
@Tag(name = "Events")
class EventsController {

    private final EventStream stream;

    EventsController(EventStream stream) {
        this.stream = stream;
    }

    @GetMapping
    Map<String, Object> list(ProjectId project, Paging paging, @RequestParam(required = false) @Nullable String type) {
        return paging.list("events", stream.list(project, type, paging), stream.count(project, type));
    }

    @GetMapping("/{id}")
    Map<String, Object> get(ProjectId project, @PathVariable String id) {
        return stream.find(project, id).orElseThrow(() -> ApiException.notFound("event", id));
    }
}
