package io.bestow.identity;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/users}: the project's console users; anyone may read, admins change. */
@RestController
@RequestMapping("/v1/users")
@Tag(name = "Users")
class UsersController {

    static final int MIN_PASSWORD = 10;

    private final IdentityManagement identity;

    UsersController(IdentityManagement identity) {
        this.identity = identity;
    }

    record CreateUser(
            @NotBlank @Email @Size(max = 320) String email,
            @Nullable @Size(max = 200) String name,
            @NotNull @Size(min = MIN_PASSWORD, max = 200) String password,
            @Nullable Role role) {}

    record UpdateUser(
            @Nullable @Size(max = 200) String name,
            @Nullable @Size(min = MIN_PASSWORD, max = 200) String password,
            @Nullable Role role) {}

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    User create(ProjectId project, @Valid @RequestBody CreateUser request) {
        return identity.createUser(
                project,
                request.email(),
                request.name(),
                request.password(),
                request.role() == null ? Role.MEMBER : request.role());
    }

    @GetMapping
    Map<String, Object> list(ProjectId project, Paging paging) {
        return paging.list("users", identity.users(project, paging), identity.countUsers(project));
    }

    @GetMapping("/{id}")
    User get(ProjectId project, @PathVariable String id) {
        return identity.user(project, id);
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    User update(ProjectId project, @PathVariable String id, @Valid @RequestBody UpdateUser request) {
        return identity.updateUser(project, id, request.name(), request.password(), request.role());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('ADMIN')")
    void delete(ProjectId project, @PathVariable String id) {
        identity.deleteUser(project, id);
    }
}
