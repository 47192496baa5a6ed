package io.bestow.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;

/** Identifies a project, the tenant that owns every row in Bestow. */
public record ProjectId(@JsonValue String value) implements Serializable {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public ProjectId {}

    public static ProjectId generate() {
        return new ProjectId(Ids.generate("proj"));
    }

    @Override
    public String toString() {
        return value;
    }
}
