package io.bestow.campaigns;

import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Expressions;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Campaigns: the campaigns module's API for the other modules and its own controller. */
@Service
public class CampaignManagement {

    private final Campaigns campaigns;
    private final Expressions expressions;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    CampaignManagement(
            Campaigns campaigns,
            Expressions expressions,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.campaigns = campaigns;
        this.expressions = expressions;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** A campaign by its id or its name. */
    public Campaign campaign(ProjectId project, String idOrName) {
        return campaigns.find(project, idOrName).orElseThrow(() -> ApiException.notFound("campaign", idOrName));
    }

    /**
     * Creates a campaign; when it asks for {@code vouchers_count} codes, {@link CampaignCreated} has them generated
     * in the background.
     */
    @Transactional
    public Campaign create(ProjectId project, JsonNode body) {
        var draft = CampaignDraft.parse(body, json);
        draft.check(expressions, json);
        long count = draft.vouchersCount() == null ? 0 : draft.vouchersCount();
        var now = clock.instant();
        var campaign = new Campaign(
                Ids.generate("camp"),
                draft.name().trim(),
                draft.description(),
                draft.campaignType(),
                draft.type() != null ? draft.type() : count > 0 ? "STATIC" : "AUTO_UPDATE",
                referralCodes(draft.campaignType(), draft.voucher()),
                draft.startDate(),
                draft.expirationDate(),
                draft.active() == null || draft.active(),
                draft.joinOnce() != null ? draft.joinOnce() : "REFERRAL_PROGRAM".equals(draft.campaignType()),
                draft.rules() == null ? List.of() : draft.rules(),
                draft.redemptionsPerCustomer(),
                draft.referralProgram(),
                draft.category(),
                draft.metadata() == null ? Map.of() : draft.metadata(),
                0,
                count > 0 ? "IN_PROGRESS" : "DONE",
                now,
                now);
        if (!campaigns.insert(project, campaign)) {
            throw duplicateName(campaign.name());
        }
        events.publishEvent(new CampaignCreated(EventMeta.of(project, clock), campaign, count));
        return campaign;
    }

    /** Changes the given settings; the others stay. The campaign type cannot change. */
    @Transactional
    public Campaign update(ProjectId project, String idOrName, JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.invalid("The campaign must be a JSON object", null);
        }
        var existing = campaigns
                .lock(project, campaign(project, idOrName).id())
                .orElseThrow(() -> ApiException.notFound("campaign", idOrName));
        if (body.has("campaign_type") && !body.get("campaign_type").asString("").equals(existing.campaignType())) {
            throw ApiException.invalid(
                    "A campaign's type cannot change", Map.of("campaign_type", "must stay " + existing.campaignType()));
        }
        var merged = (ObjectNode) json.valueToTree(existing);
        merged.setAll((ObjectNode) body);
        var draft = CampaignDraft.parse(merged, json);
        draft.check(expressions, json);
        var updated = new Campaign(
                existing.id(),
                draft.name().trim(),
                draft.description(),
                existing.campaignType(),
                draft.type() == null ? existing.type() : draft.type(),
                referralCodes(existing.campaignType(), draft.voucher()),
                draft.startDate(),
                draft.expirationDate(),
                draft.active() == null || draft.active(),
                draft.joinOnce() != null && draft.joinOnce(),
                draft.rules() == null ? List.of() : draft.rules(),
                draft.redemptionsPerCustomer(),
                draft.referralProgram(),
                draft.category(),
                draft.metadata() == null ? Map.of() : draft.metadata(),
                existing.vouchersCount(),
                existing.vouchersGenerationStatus(),
                existing.createdAt(),
                clock.instant());
        if (!campaigns.update(project, updated)) {
            throw duplicateName(updated.name());
        }
        events.publishEvent(new CampaignUpdated(EventMeta.of(project, clock), updated));
        return updated;
    }

    /** Deletes the campaign; {@link CampaignDeleted} removes its codes, their redemptions stay on record. */
    @Transactional
    public Campaign delete(ProjectId project, String idOrName) {
        var existing = campaign(project, idOrName);
        campaigns.delete(project, existing.id());
        events.publishEvent(new CampaignDeleted(EventMeta.of(project, clock), existing));
        return existing;
    }

    /** Turns the campaign on or off. */
    @Transactional
    public Campaign activate(ProjectId project, String idOrName, boolean active) {
        return update(project, idOrName, json.createObjectNode().put("active", active));
    }

    public List<Campaign> campaigns(ProjectId project, @Nullable String campaignType, Paging paging) {
        return campaigns.list(project, campaignType, paging);
    }

    public long countCampaigns(ProjectId project, @Nullable String campaignType) {
        return campaigns.count(project, campaignType);
    }

    /** Counts codes added to (or, negative, removed from) a campaign, in the caller's transaction. */
    public void vouchersAdded(ProjectId project, String campaignId, long count) {
        campaigns.addVouchers(project, campaignId, count, clock.instant());
    }

    /** Records how the generation of the campaign's codes stands: {@code IN_PROGRESS}, {@code DONE} or {@code FAILED}. */
    public void generation(ProjectId project, String campaignId, String status) {
        campaigns.generation(project, campaignId, status);
    }

    private static VoucherTemplate referralCodes(@Nullable String campaignType, @Nullable VoucherTemplate voucher) {
        if (voucher == null || !"REFERRAL_PROGRAM".equals(campaignType)) {
            return voucher;
        }
        return new VoucherTemplate(
                voucher.type(),
                voucher.discount(),
                voucher.gift(),
                voucher.codeConfig(),
                voucher.redemption(),
                voucher.currency(),
                true);
    }

    private static ApiException duplicateName(String name) {
        return ApiException.conflict("duplicate_found", "A campaign named " + name + " already exists");
    }
}
