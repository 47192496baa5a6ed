package io.bestow.journeys;

import io.bestow.shared.Expressions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Published versions, read once per node: a published version never changes. */
@Component
class Versions {

    private final Programs programs;
    private final Expressions expressions;
    private final JsonMapper json;
    private final Map<String, Definition> read = new ConcurrentHashMap<>();

    Versions(Programs programs, Expressions expressions, JsonMapper json) {
        this.programs = programs;
        this.expressions = expressions;
        this.json = json;
    }

    Definition definition(String programId, int version) {
        return read.computeIfAbsent(
                programId + "/" + version,
                key -> Definition.read(
                        programs.version(programId, version)
                                .orElseThrow(
                                        () -> new IllegalStateException("No version " + version + " of " + programId)),
                        expressions,
                        json));
    }
}
