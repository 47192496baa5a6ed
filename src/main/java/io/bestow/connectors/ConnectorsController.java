package io.bestow.connectors;

import io.bestow.shared.ApiException;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /v1/connectors}: connections to external APIs; only admins change them. Paths take an id or a name. */
@RestController
@RequestMapping("/v1/connectors")
@Tag(name = "Connectors")
class ConnectorsController {

    private final ConnectorManagement connectors;
    private final ActionManagement actions;

    ConnectorsController(ConnectorManagement connectors, ActionManagement actions) {
        this.connectors = connectors;
        this.actions = actions;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    Connector create(ProjectId project, @RequestBody JsonNode body) {
        return connectors.create(project, body);
    }

    /** Newest first. */
    @GetMapping
    Map<String, Object> list(ProjectId project, Paging paging) {
        return paging.list("connectors", connectors.connectors(project, paging), connectors.countConnectors(project));
    }

    @GetMapping("/{id}")
    Connector get(ProjectId project, @PathVariable String id) {
        return connectors.connector(project, id);
    }

    /** Changes the given settings; secrets left out of {@code auth} keep their values. */
    @PutMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    Connector update(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        return connectors.update(project, id, body);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('ADMIN')")
    void delete(ProjectId project, @PathVariable String id) {
        connectors.delete(project, id);
    }

    /**
     * Starts the OAuth 2.0 authorization-code flow: redirects to the provider (302), or answers
     * {@code {"authorization_url": …}} with {@code redirect=false}, for clients that open the URL themselves.
     */
    @GetMapping("/{id}/authorize")
    @PreAuthorize("hasRole('ADMIN')")
    ResponseEntity<?> authorize(
            ProjectId project,
            @PathVariable String id,
            @RequestParam(name = "redirect", defaultValue = "true") boolean redirect) {
        var url = connectors.authorizationUrl(project, id);
        if (!redirect) {
            return ResponseEntity.ok(Map.of("object", "authorization", "authorization_url", url.toString()));
        }
        return ResponseEntity.status(HttpStatus.FOUND).location(url).build();
    }

    /** The secret the connector's system signs its inbound requests with, for an admin setting that system up. */
    @GetMapping("/{id}/inbound-secret")
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> inboundSecret(ProjectId project, @PathVariable String id) {
        var inbound = connectors.connector(project, id).inbound();
        if (inbound == null) {
            throw ApiException.notFound("inbound settings of connector", id);
        }
        return Map.of("object", "inbound_secret", "secret", inbound.secret());
    }

    /** The call log of every action of the connector, newest first. */
    @GetMapping("/{id}/calls")
    Map<String, Object> calls(
            ProjectId project,
            @PathVariable String id,
            Paging paging,
            @RequestParam(name = "execution_id", required = false) @Nullable String executionId) {
        var filter = new Calls.Filter(null, connectors.connector(project, id).id(), executionId);
        return paging.list("calls", actions.calls(project, filter, paging), actions.countCalls(project, filter));
    }
}
