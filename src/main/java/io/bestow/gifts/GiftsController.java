package io.bestow.gifts;

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

/** {@code /v1/gifts}: the gift catalog ("touches"). */
@RestController
@Tag(name = "Gifts")
class GiftsController {

    private final GiftManagement gifts;

    GiftsController(GiftManagement gifts) {
        this.gifts = gifts;
    }

    @PostMapping("/v1/gifts")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    Gift create(ProjectId project, @RequestBody JsonNode body) {
        return gifts.create(project, body);
    }

    /** The catalog, oldest first; filter by {@code type} ({@code EGIFT}, {@code PHYSICAL}) and {@code active}. */
    @GetMapping("/v1/gifts")
    Map<String, Object> list(
            ProjectId project,
            Paging paging,
            @RequestParam(required = false) @Nullable String type,
            @RequestParam(required = false) @Nullable Boolean active) {
        return paging.list(
                "gifts", gifts.gifts(project, type, active, paging), gifts.countGifts(project, type, active));
    }

    @GetMapping("/v1/gifts/{id}")
    Gift get(ProjectId project, @PathVariable String id) {
        return gifts.gift(project, id);
    }

    @PutMapping("/v1/gifts/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    Gift update(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        return gifts.update(project, id, body);
    }

    @DeleteMapping("/v1/gifts/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('ADMIN')")
    void delete(ProjectId project, @PathVariable String id) {
        gifts.delete(project, id);
    }
}
