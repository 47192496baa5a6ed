package io.bestow.customers;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/milestones}: custom events a project marks as milestones. A customer reaches a milestone the first
 * time the event is tracked for it, which emits {@code customer.milestone.reached}.
 */
@RestController
@RequestMapping("/v1/milestones")
@Tag(name = "Milestones")
class MilestonesController {

    private final Timeline timeline;

    MilestonesController(Timeline timeline) {
        this.timeline = timeline;
    }

    record DeclareMilestone(
            @NotBlank @Size(max = 200) String name,
            @Nullable @Size(max = 300) String event,
            @Nullable @Size(max = 1000) String description) {}

    /** Declares a milestone; {@code event} defaults to the milestone's name. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Milestone declare(ProjectId project, @Valid @RequestBody DeclareMilestone request) {
        var name = request.name().trim();
        var event = request.event() == null || request.event().isBlank()
                ? name
                : request.event().trim();
        return timeline.declareMilestone(project, name, event, request.description());
    }

    @GetMapping
    Map<String, Object> list(ProjectId project, Paging paging) {
        return paging.list("milestones", timeline.milestones(project, paging), timeline.countMilestones(project));
    }

    @GetMapping("/{id}")
    Milestone get(ProjectId project, @PathVariable String id) {
        return timeline.milestone(project, id);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(ProjectId project, @PathVariable String id) {
        timeline.deleteMilestone(project, id);
    }
}
