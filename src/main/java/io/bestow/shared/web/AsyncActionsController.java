package io.bestow.shared.web;

import io.bestow.shared.ApiException;
import io.bestow.shared.AsyncAction;
import io.bestow.shared.AsyncActions;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/async-actions}: the progress of imports and other long-running jobs, newest first. */
@RestController
@RequestMapping("/v1/async-actions")
@Tag(name = "Async actions")
class AsyncActionsController {

    private final AsyncActions actions;

    AsyncActionsController(AsyncActions actions) {
        this.actions = actions;
    }

    @GetMapping
    Map<String, Object> list(ProjectId project, Paging paging) {
        return paging.list("async_actions", actions.list(project, paging), actions.count(project));
    }

    @GetMapping("/{id}")
    AsyncAction get(ProjectId project, @PathVariable String id) {
        return actions.find(project, id).orElseThrow(() -> ApiException.notFound("async action", id));
    }
}
