package io.bestow.codes;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;
import java.util.Map;

/** A campaign's code generation finished. */
public record VouchersGenerated(
        EventMeta meta, String campaignId, String campaignName, long count, String asyncActionId)
        implements ProjectEvent {

    @Override
    public String type() {
        return "campaign.vouchers.generation.completed";
    }

    @Override
    public Object object() {
        return Map.of(
                "id",
                campaignId,
                "name",
                campaignName,
                "object",
                "campaign",
                "vouchers_generated",
                count,
                "async_action_id",
                asyncActionId);
    }
}
