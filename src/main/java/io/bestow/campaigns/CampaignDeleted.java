package io.bestow.campaigns;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** The campaign was deleted. */
public record CampaignDeleted(EventMeta meta, Campaign campaign) implements ProjectEvent {

    @Override
    public String type() {
        return "campaign.deleted";
    }

    @Override
    public Object object() {
        return campaign;
    }
}
