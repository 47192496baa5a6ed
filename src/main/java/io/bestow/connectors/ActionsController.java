package io.bestow.connectors;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** {@code /v1/actions}: templated requests through a connector, their preview, test and call log. */
@RestController
@Tag(name = "Actions")
class ActionsController {

    private final ActionManagement actions;

    ActionsController(ActionManagement actions) {
        this.actions = actions;
    }

    @PostMapping("/v1/actions")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    Action create(ProjectId project, @RequestBody JsonNode body) {
        return actions.create(project, body);
    }

    /** Newest first; {@code connector_id} filters. */
    @GetMapping("/v1/actions")
    Map<String, Object> list(
            ProjectId project,
            Paging paging,
            @RequestParam(name = "connector_id", required = false) @Nullable String connectorId) {
        return paging.list(
                "actions", actions.actions(project, connectorId, paging), actions.countActions(project, connectorId));
    }

    @GetMapping("/v1/actions/{id}")
    Action get(ProjectId project, @PathVariable String id) {
        return actions.action(project, id);
    }

    @PutMapping("/v1/actions/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    Action update(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        return actions.update(project, id, body);
    }

    @DeleteMapping("/v1/actions/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('ADMIN')")
    void delete(ProjectId project, @PathVariable String id) {
        actions.delete(project, id);
    }

    /** Renders the request for {@code data} or {@code customer_id} (or the action's sample) without sending it. */
    @PostMapping("/v1/actions/{id}/preview")
    Map<String, Object> preview(
            ProjectId project, @PathVariable String id, @RequestBody(required = false) @Nullable JsonNode body) {
        return actions.preview(project, id, body == null ? JsonNodeFactory.instance.objectNode() : body);
    }

    /** Sends the request once for real and shows request, response, timing and outputs. */
    @PostMapping("/v1/actions/{id}/test")
    @PreAuthorize("hasRole('ADMIN')")
    ActionRun test(ProjectId project, @PathVariable String id, @RequestBody(required = false) @Nullable JsonNode body) {
        return actions.test(project, id, body == null ? JsonNodeFactory.instance.objectNode() : body);
    }

    /** The action's call log, newest first: one entry per attempt. */
    @GetMapping("/v1/actions/{id}/calls")
    Map<String, Object> calls(
            ProjectId project,
            @PathVariable String id,
            Paging paging,
            @RequestParam(name = "execution_id", required = false) @Nullable String executionId) {
        var filter = new Calls.Filter(actions.action(project, id).id(), null, executionId);
        return paging.list("calls", actions.calls(project, filter, paging), actions.countCalls(project, filter));
    }

    @GetMapping("/v1/calls/{id}")
    Call call(ProjectId project, @PathVariable String id) {
        return actions.call(project, id);
    }
}
