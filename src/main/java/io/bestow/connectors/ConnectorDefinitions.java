package io.bestow.connectors;

import io.bestow.shared.ApiException;
import io.bestow.shared.ProjectId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Connector definitions: a connector with its actions as one JSON document, without secrets. Bestow ships templates
 * for common targets (a Sendoso-style gift send, a generic JSON webhook, a Twilio-style SMS, HubSpot- and
 * Salesforce-style CRM tasks); a project exports its own connectors the same way and imports either.
 */
@Service
public class ConnectorDefinitions {

    private static final Set<String> CONNECTOR_FIELDS =
            Set.of("name", "description", "base_url", "content_type", "auth", "rate_limit_per_second", "metadata");
    /** What a definition keeps of an action: its settings, without its connector and the object type. */
    private static final Set<String> ACTION_FIELDS = ActionManagement.FIELDS.stream()
            .filter(field -> !field.equals("connector_id") && !field.equals("object"))
            .collect(Collectors.toUnmodifiableSet());

    private final ConnectorManagement connectors;
    private final ActionManagement actions;
    private final JsonMapper json;
    private final Map<String, ObjectNode> templates;

    ConnectorDefinitions(ConnectorManagement connectors, ActionManagement actions, JsonMapper json) {
        this.connectors = connectors;
        this.actions = actions;
        this.json = json;
        this.templates = load(json);
    }

    /** The built-in templates, by name. */
    public List<ObjectNode> templates() {
        return List.copyOf(templates.values());
    }

    public ObjectNode template(String name) {
        var template = templates.get(name);
        if (template == null) {
            throw ApiException.notFound("connector template", name);
        }
        return template.deepCopy();
    }

    /** A connector and its actions as a definition: settings only, never a secret or a token. */
    public ObjectNode export(ProjectId project, String idOrName) {
        var connector = connectors.connector(project, idOrName);
        var definition = json.createObjectNode();
        definition.put("object", "connector_definition");
        definition.put("name", connector.name());
        var settings = json.createObjectNode();
        settings.put("name", connector.name());
        if (connector.description() != null) {
            settings.put("description", connector.description());
        }
        settings.put("base_url", connector.baseUrl());
        settings.put("content_type", connector.contentType());
        settings.set("auth", json.valueToTree(connector.authentication().withoutSecrets()));
        if (connector.rateLimitPerSecond() != null) {
            settings.put("rate_limit_per_second", connector.rateLimitPerSecond());
        }
        settings.set("metadata", json.valueToTree(connector.metadata()));
        definition.set("connector", settings);
        var list = definition.putArray("actions");
        for (var action : actions.ofConnector(project, connector.id())) {
            ObjectNode node = json.valueToTree(action);
            keepOnly(node, ACTION_FIELDS);
            list.add(node);
        }
        return definition;
    }

    /**
     * Creates the connector and actions of a definition, all or nothing. Secrets may be given in the connector's
     * {@code auth}; missing ones are listed in the connector's status until an admin sets them.
     */
    @Transactional
    public Map<String, Object> importDefinition(ProjectId project, JsonNode definition) {
        if (!definition.isObject() || !definition.path("connector").isObject()) {
            throw ApiException.invalid(
                    "A definition is an object with a connector and its actions", Map.of("connector", "is required"));
        }
        ObjectNode settings = (ObjectNode) definition.get("connector").deepCopy();
        keepOnly(settings, CONNECTOR_FIELDS);
        var connector = connectors.create(project, settings, false);
        var created = new ArrayList<Action>();
        var list = definition.path("actions");
        if (!list.isMissingNode() && !list.isArray()) {
            throw ApiException.invalid("actions must be an array", Map.of("actions", "must be an array"));
        }
        for (var each : list) {
            if (!each.isObject()) {
                throw ApiException.invalid("Each action must be an object", Map.of("actions", "must hold objects"));
            }
            var action = (ObjectNode) each.deepCopy();
            keepOnly(action, ACTION_FIELDS);
            action.put("connector_id", connector.id());
            created.add(actions.create(project, action));
        }
        var result = new LinkedHashMap<String, Object>();
        result.put("object", "connector_import");
        result.put("connector", connector);
        result.put("actions", created);
        return result;
    }

    private static void keepOnly(ObjectNode node, Set<String> fields) {
        node.remove(node.propertyNames().stream()
                .filter(name -> !fields.contains(name))
                .toList());
    }

    private static Map<String, ObjectNode> load(JsonMapper json) {
        try {
            var templates = new java.util.TreeMap<String, ObjectNode>();
            for (var resource :
                    new PathMatchingResourcePatternResolver().getResources("classpath:connectors/templates/*.json")) {
                try (var in = resource.getInputStream()) {
                    var template = (ObjectNode) json.readTree(in);
                    template.put("object", "connector_definition");
                    templates.put(template.get("name").asString(), template);
                }
            }
            return templates;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the connector templates", e);
        }
    }
}
