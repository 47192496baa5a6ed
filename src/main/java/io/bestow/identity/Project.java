package io.bestow.identity;

import io.bestow.shared.ProjectId;
import java.time.Instant;

/** A project: a tenant whose customers, campaigns, budgets and keys are its own. */
public record Project(ProjectId id, String object, String name, Instant createdAt) {

    Project(ProjectId id, String name, Instant createdAt) {
        this(id, "project", name, createdAt);
    }
}
