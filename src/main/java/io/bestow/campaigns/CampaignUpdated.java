package io.bestow.campaigns;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** The campaign was updated. */
public record CampaignUpdated(EventMeta meta, Campaign campaign) implements ProjectEvent {

    @Override
    public String type() {
        return "campaign.updated";
    }

    @Override
    public Object object() {
        return campaign;
    }
}
