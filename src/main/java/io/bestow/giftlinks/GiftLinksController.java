package io.bestow.giftlinks;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
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
import tools.jackson.databind.json.JsonMapper;

/** {@code /v1/gift-links}: admins make and revoke claim links; everyone reads them and who tried them. */
@RestController
@Tag(name = "Gift links")
class GiftLinksController {

    private final GiftLinkManagement links;
    private final JsonMapper json;

    GiftLinksController(GiftLinkManagement links, JsonMapper json) {
        this.links = links;
        this.json = json;
    }

    /** Makes a link; the answer's {@code url} carries its token, shown this once. */
    @PostMapping("/v1/gift-links")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> create(ProjectId project, @RequestBody JsonNode body) {
        var created = links.create(project, body);
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = new LinkedHashMap<>(json.convertValue(created.link(), Map.class));
        shown.put("url", created.url());
        return shown;
    }

    @GetMapping("/v1/gift-links")
    Map<String, Object> list(ProjectId project, Paging paging) {
        return paging.list("gift_links", links.links(project, paging), links.countLinks(project));
    }

    /** The link with its status and the money its claims hold and spent. */
    @GetMapping("/v1/gift-links/{id}")
    Map<String, Object> get(ProjectId project, @PathVariable String id) {
        var details = links.details(project, id);
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = new LinkedHashMap<>(json.convertValue(details.get("link"), Map.class));
        details.forEach((key, value) -> {
            if (!key.equals("link")) {
                shown.put(key, value);
            }
        });
        return shown;
    }

    @PostMapping("/v1/gift-links/{id}/revoke")
    @PreAuthorize("hasRole('ADMIN')")
    GiftLink revoke(ProjectId project, @PathVariable String id) {
        return links.revoke(project, id);
    }

    /** Who entered an e-mail on the link's page and how it went (with why, which the page never tells). */
    @GetMapping("/v1/gift-links/{id}/attempts")
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> attempts(ProjectId project, @PathVariable String id, Paging paging) {
        return paging.list("attempts", links.attempts(project, id, paging), links.countAttempts(project, id));
    }
}
