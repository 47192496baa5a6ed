package io.bestow.identity;

import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/project}: the project the caller's key or session belongs to. */
@RestController
@Tag(name = "Project")
class ProjectController {

    private final IdentityManagement identity;

    ProjectController(IdentityManagement identity) {
        this.identity = identity;
    }

    @GetMapping("/v1/project")
    Project current(ProjectId project) {
        return identity.project(project);
    }
}
