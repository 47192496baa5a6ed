package io.bestow.connectors;

import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Connector definitions: the built-in templates, and export and import of a connector with its actions. */
@RestController
@Tag(name = "Connectors")
class ConnectorDefinitionsController {

    private final ConnectorDefinitions definitions;

    ConnectorDefinitionsController(ConnectorDefinitions definitions) {
        this.definitions = definitions;
    }

    @GetMapping("/v1/connector-templates")
    Map<String, Object> templates() {
        var templates = definitions.templates();
        return Map.of(
                "object",
                "list",
                "data_ref",
                "templates",
                "templates",
                templates,
                "total",
                templates.size(),
                "has_more",
                false);
    }

    @GetMapping("/v1/connector-templates/{name}")
    ObjectNode template(@PathVariable String name) {
        return definitions.template(name);
    }

    /** The connector and its actions, without secrets, ready to import elsewhere. */
    @GetMapping("/v1/connectors/{id}/export")
    ObjectNode export(ProjectId project, @PathVariable String id) {
        return definitions.export(project, id);
    }

    /** Creates a connector and its actions from a definition (an export or a template), all or nothing. */
    @PostMapping("/v1/connectors/import")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> importDefinition(ProjectId project, @RequestBody JsonNode definition) {
        return definitions.importDefinition(project, definition);
    }
}
