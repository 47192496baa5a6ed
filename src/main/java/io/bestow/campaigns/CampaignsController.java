package io.bestow.campaigns;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /v1/campaigns}, as Voucherify's v1 API has it: paths take a campaign's id or name. */
@RestController
@RequestMapping("/v1/campaigns")
@Tag(name = "Campaigns")
class CampaignsController {

    private final CampaignManagement campaigns;

    CampaignsController(CampaignManagement campaigns) {
        this.campaigns = campaigns;
    }

    @PostMapping
    Campaign create(ProjectId project, @RequestBody JsonNode body) {
        return campaigns.create(project, body);
    }

    /** Newest first; {@code campaign_type} filters. */
    @GetMapping
    Map<String, Object> list(
            ProjectId project,
            Paging paging,
            @RequestParam(name = "campaign_type", required = false) @Nullable String campaignType) {
        return paging.list(
                "campaigns",
                campaigns.campaigns(project, campaignType, paging),
                campaigns.countCampaigns(project, campaignType));
    }

    @GetMapping("/{id}")
    Campaign get(ProjectId project, @PathVariable String id) {
        return campaigns.campaign(project, id);
    }

    @PutMapping("/{id}")
    Campaign update(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        return campaigns.update(project, id, body);
    }

    /** Deletes the campaign and its codes; redemptions of them stay on record. */
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(ProjectId project, @PathVariable String id) {
        campaigns.delete(project, id);
    }

    @PostMapping("/{id}/enable")
    Campaign enable(ProjectId project, @PathVariable String id) {
        return campaigns.activate(project, id, true);
    }

    @PostMapping("/{id}/disable")
    Campaign disable(ProjectId project, @PathVariable String id) {
        return campaigns.activate(project, id, false);
    }
}
