package io.bestow.codes;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /v1/publications}: codes handed to customers. {@code join_once} may come as a query parameter or in the body. */
@RestController
@RequestMapping("/v1/publications")
@Tag(name = "Publications")
class PublicationsController {

    private final Publications publications;

    PublicationsController(Publications publications) {
        this.publications = publications;
    }

    @PostMapping
    Publication publish(
            ProjectId project,
            @RequestParam(name = "join_once", required = false, defaultValue = "false") boolean joinOnce,
            @RequestBody JsonNode body) {
        return publications.publish(project, body, joinOnce);
    }

    /** Newest first; filters: {@code campaign} (name or id) and {@code customer}. */
    @GetMapping
    Map<String, Object> list(
            ProjectId project,
            Paging paging,
            @RequestParam(name = "campaign", required = false) @Nullable String campaign,
            @RequestParam(name = "customer", required = false) @Nullable String customer) {
        return paging.list(
                "publications",
                publications.publications(project, campaign, customer, paging),
                publications.countPublications(project, campaign, customer));
    }
}
