package io.bestow.campaigns;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** A campaign was created; {@code vouchersCount} codes are to be generated for it. */
public record CampaignCreated(EventMeta meta, Campaign campaign, long vouchersCount) implements ProjectEvent {

    @Override
    public String type() {
        return "campaign.created";
    }

    @Override
    public Object object() {
        return campaign;
    }
}
