package io.bestow.webhooks;

import io.bestow.shared.ApiException;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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

    private static final Pattern TYPE = Pattern.compile("\\*|[a-z0-9_]+(\\.[a-z0-9_]+)*(\\.\\*)?");

    private final EventStream stream;

    EventsController(EventStream stream) {
        this.stream = stream;
    }

    @GetMapping
    Map<String, Object> list(ProjectId project, Paging paging, @RequestParam(required = false) @Nullable String type) {
        return paging.list("events", stream.list(project, type, paging), stream.count(project, type));
    }

    /**
     * The pull feed for consumers that read everything in order: events after {@code starting_after}, filtered by
     * {@code types} (comma-separated, with {@code x.*} and {@code *}), and the cursor to ask with next. It counts no
     * total, so a page costs the same however long the stream is.
     */
    @GetMapping("/feed")
    Map<String, Object> feed(
            ProjectId project,
            @RequestParam(name = "starting_after", required = false) @Nullable String startingAfter,
            @RequestParam(required = false) @Nullable String types,
            @RequestParam(required = false) @Nullable Integer limit) {
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 1_000) {
            throw ApiException.invalid("limit must be 1 to 1000", Map.of("limit", "must be 1 to 1000"));
        }
        if (startingAfter != null && !stream.exists(project, startingAfter)) {
            throw ApiException.notFound("event", startingAfter);
        }
        var patterns = types == null
                ? List.<String>of()
                : Arrays.stream(types.split(","))
                        .map(String::trim)
                        .filter(t -> !t.isEmpty())
                        .toList();
        for (var pattern : patterns) {
            if (!TYPE.matcher(pattern).matches()) {
                throw ApiException.invalid(
                        "types holds " + pattern + ", which is not an event type, x.* or *",
                        Map.of("types", "must be event types, x.* or *"));
            }
        }
        var events = stream.feed(project, startingAfter, patterns, size);
        boolean more = events.size() > size;
        var page = more ? events.subList(0, size) : events;
        var feed = new LinkedHashMap<String, Object>();
        feed.put("object", "list");
        feed.put("data_ref", "events");
        feed.put("events", page);
        feed.put("has_more", more);
        feed.put("next_cursor", page.isEmpty() ? startingAfter : page.getLast().get("id"));
        return feed;
    }

    @GetMapping("/{id}")
    Map<String, Object> get(ProjectId project, @PathVariable String id) {
        return stream.find(project, id).orElseThrow(() -> ApiException.notFound("event", id));
    }
}
