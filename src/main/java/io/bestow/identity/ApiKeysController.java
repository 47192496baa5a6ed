package io.bestow.identity;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/api-keys}: create, list, read and revoke the project's key pairs (admins only). */
@RestController
@RequestMapping("/v1/api-keys")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "API keys")
class ApiKeysController {

    private final IdentityManagement identity;

    ApiKeysController(IdentityManagement identity) {
        this.identity = identity;
    }

    record CreateApiKey(
            @NotBlank @Size(max = 200) String name,
            @Nullable Role role) {}

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    IssuedApiKey create(ProjectId project, @Valid @RequestBody CreateApiKey request) {
        return identity.createApiKey(
                project, request.name().trim(), request.role() == null ? Role.ADMIN : request.role());
    }

    @GetMapping
    Map<String, Object> list(ProjectId project, Paging paging) {
        return paging.list("api_keys", identity.apiKeys(project, paging), identity.countApiKeys(project));
    }

    @GetMapping("/{id}")
    ApiKey get(ProjectId project, @PathVariable String id) {
        return identity.apiKey(project, id);
    }

    @DeleteMapping("/{id}")
    ApiKey revoke(ProjectId project, @PathVariable String id) {
        return identity.revokeApiKey(project, id);
    }
}
