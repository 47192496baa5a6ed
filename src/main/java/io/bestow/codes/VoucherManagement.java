package io.bestow.codes;

import io.bestow.campaigns.Campaign;
import io.bestow.campaigns.CampaignManagement;
import io.bestow.campaigns.CodeConfig;
import io.bestow.campaigns.Gift;
import io.bestow.campaigns.VoucherTemplate;
import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Vouchers: the codes module's API for single codes, for the other modules and its own controllers. */
@Service
public class VoucherManagement {

    /** Tries for a free random code before giving up on a crowded code space. */
    private static final int CODE_ATTEMPTS = 10;

    private final Vouchers vouchers;
    private final CampaignManagement campaigns;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    VoucherManagement(
            Vouchers vouchers,
            CampaignManagement campaigns,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.vouchers = vouchers;
        this.campaigns = campaigns;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** A voucher by its code (or its {@code v_} id), with its campaign's name. */
    public Voucher voucher(ProjectId project, String code) {
        return named(project, vouchers.findByCodeOrId(project, code).orElseThrow(() -> notFound(code)));
    }

    /**
     * Creates a voucher: with {@code campaign} or {@code campaign_id}, a code of that campaign following its
     * template; otherwise a standalone voucher with its own discount or gift. Without a code, one is generated from
     * {@code code_config} (or the campaign's).
     */
    @Transactional
    public Voucher create(ProjectId project, @Nullable String pathCode, JsonNode body) {
        var draft = VoucherDraft.parse(body, json);
        var campaignRef = draft.campaignId() != null ? draft.campaignId() : draft.campaign();
        return campaignRef != null
                ? addToCampaign(project, campaigns.campaign(project, campaignRef), pathCode, body)
                : createStandalone(project, pathCode, draft);
    }

    private Voucher createStandalone(ProjectId project, @Nullable String pathCode, VoucherDraft draft) {
        draft.check(pathCode, json);
        var template = draft.template();
        return insert(
                project,
                pathCode != null ? pathCode : draft.code(),
                template.codes(),
                code -> fresh(code, null, template, draft));
    }

    /** Adds one code to a campaign, as {@code POST /v1/campaigns/{id}/vouchers[/{code}]} does. */
    @Transactional
    public Voucher addToCampaign(ProjectId project, Campaign campaign, @Nullable String pathCode, JsonNode body) {
        var draft = VoucherDraft.parse(body, json);
        var problems = new HashMap<String, String>();
        draft.checkCommon(pathCode, json, problems);
        if (draft.codeConfig() != null) {
            draft.codeConfig().check("code_config", problems);
        }
        if (draft.redemption() != null
                && draft.redemption().quantity() != null
                && draft.redemption().quantity() < 1) {
            problems.put("redemption.quantity", "must be 1 or more, or absent for the campaign's");
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid("The voucher has invalid fields", problems);
        }
        var template = campaign.voucher();
        var voucher = insert(
                project,
                pathCode != null ? pathCode : draft.code(),
                draft.codeConfig() != null ? draft.codeConfig() : template.codes(),
                code -> fresh(code, campaign, template, draft));
        campaigns.vouchersAdded(project, campaign.id(), 1);
        return voucher;
    }

    /**
     * A new voucher following the template (its campaign's, or its own when standalone), with the request's
     * category, dates, active flag, metadata and, for a campaign code, its own redemption limit when given.
     */
    private Voucher fresh(String code, @Nullable Campaign campaign, VoucherTemplate template, VoucherDraft draft) {
        var now = clock.instant();
        var gift = template.gift() == null
                ? null
                : new Gift(template.gift().amount(), template.gift().amount(), null);
        var quantity = draft.redemption() != null && draft.redemption().quantity() != null
                ? draft.redemption().quantity()
                : template.redemptionQuantity();
        return new Voucher(
                Ids.generate("v"),
                code,
                campaign == null ? null : campaign.name(),
                campaign == null ? null : campaign.id(),
                draft.category() != null || campaign == null ? draft.category() : campaign.category(),
                template.type(),
                template.discount(),
                gift,
                template.currency(),
                quantity,
                0,
                0,
                draft.startDate(),
                draft.expirationDate(),
                draft.active() == null || draft.active(),
                template.referral(),
                null,
                draft.metadata() == null ? Map.of() : draft.metadata(),
                0,
                now,
                now);
    }

    /** Inserts the voucher with the given code, or with a fresh random one when none is given. */
    private Voucher insert(
            ProjectId project, @Nullable String code, CodeConfig config, Function<String, Voucher> make) {
        if (code != null) {
            var voucher = make.apply(code.trim());
            if (!vouchers.insert(project, voucher)) {
                throw ApiException.conflict("duplicate_found", "A voucher with code " + code + " already exists");
            }
            events.publishEvent(new VoucherCreated(EventMeta.of(project, clock), voucher));
            return voucher;
        }
        for (int attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
            var voucher = make.apply(config.generate());
            if (vouchers.insert(project, voucher)) {
                events.publishEvent(new VoucherCreated(EventMeta.of(project, clock), voucher));
                return voucher;
            }
        }
        throw new ApiException(
                HttpStatus.CONFLICT,
                "code_space_exhausted",
                "No free code found in " + CODE_ATTEMPTS + " tries: the code configuration allows too few codes");
    }

    /**
     * Changes a voucher's settings: {@code category}, {@code start_date}, {@code expiration_date}, {@code active},
     * {@code metadata}, {@code redemption.quantity}, a discount voucher's {@code discount} and a gift voucher's
     * {@code gift.amount} (the balance moves by the same difference).
     */
    @Transactional
    public Voucher update(ProjectId project, String code, JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.invalid("The voucher must be a JSON object", null);
        }
        var existing = vouchers.lock(project, code).orElseThrow(() -> notFound(code));
        for (var fixed : List.of("type", "campaign", "campaign_id")) {
            if (body.has(fixed) && !body.get(fixed).asString("").equals(fixedValue(existing, fixed))) {
                throw ApiException.invalid("A voucher's " + fixed + " cannot change", Map.of(fixed, "cannot change"));
            }
        }
        var merged = (ObjectNode) json.valueToTree(existing);
        merged.remove(List.of("campaign", "campaign_id", "code"));
        if (existing.redemptionQuantity() != null) {
            merged.set("redemption", json.createObjectNode().put("quantity", existing.redemptionQuantity()));
        } else {
            merged.remove("redemption");
        }
        merged.setAll((ObjectNode) body);
        merged.remove(List.of("campaign", "campaign_id", "code"));
        var draft = VoucherDraft.parse(merged, json);
        draft.check(code, json);
        var gift = existing.gift();
        if (gift != null && draft.gift() != null && draft.gift().amount() != gift.amount()) {
            long balance = gift.balance() == null ? 0 : gift.balance();
            long newBalance = balance + draft.gift().amount() - gift.amount();
            if (newBalance < 0) {
                throw ApiException.invalid(
                        "The gift amount cannot drop below what was already drawn",
                        Map.of("gift.amount", "must be at least " + (gift.amount() - balance)));
            }
            gift = new Gift(draft.gift().amount(), newBalance, null);
        }
        var quantity = draft.redemption() == null ? null : draft.redemption().quantity();
        if (quantity != null && quantity < existing.redeemedQuantity()) {
            throw ApiException.invalid(
                    "The redemption limit cannot drop below the redemptions made",
                    Map.of("redemption.quantity", "must be at least " + existing.redeemedQuantity()));
        }
        var updated = new Voucher(
                existing.id(),
                existing.code(),
                null,
                existing.campaignId(),
                draft.category(),
                existing.type(),
                existing.isGift() ? null : draft.discount(),
                gift,
                draft.currency(),
                quantity,
                existing.redeemedQuantity(),
                existing.redeemedAmount(),
                draft.startDate(),
                draft.expirationDate(),
                draft.active() == null || draft.active(),
                existing.isReferralCode(),
                existing.holderId(),
                draft.metadata() == null ? Map.of() : draft.metadata(),
                existing.publishCount(),
                existing.createdAt(),
                clock.instant());
        vouchers.update(project, updated);
        var shown = named(project, updated);
        if (existing.active() != updated.active()) {
            events.publishEvent(
                    updated.active()
                            ? new VoucherEnabled(EventMeta.of(project, clock), shown)
                            : new VoucherDisabled(EventMeta.of(project, clock), shown));
        }
        return shown;
    }

    private static @Nullable String fixedValue(Voucher voucher, String field) {
        return switch (field) {
            case "type" -> voucher.type();
            case "campaign_id" -> voucher.campaignId();
            default -> voucher.campaign();
        };
    }

    @Transactional
    public Voucher activate(ProjectId project, String code, boolean active) {
        return update(project, code, json.createObjectNode().put("active", active));
    }

    /** Adds credit to a gift voucher (a top-up or a reward); the amount and the balance grow by it. */
    @Transactional
    public Voucher addBalance(ProjectId project, String code, long amount) {
        if (amount < 1) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_add_balance_params",
                    "amount must be an amount in minor units, 1 or more",
                    Map.of("amount", "must be 1 or more"));
        }
        var existing = vouchers.lock(project, code).orElseThrow(() -> notFound(code));
        if (!existing.isGift()) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST, "invalid_voucher", "Only a GIFT_VOUCHER has a balance to add to");
        }
        var updated = named(project, vouchers.addBalance(project, existing.id(), amount, clock.instant()));
        events.publishEvent(new GiftBalanceAdded(EventMeta.of(project, clock), updated, amount));
        return updated;
    }

    /** Deletes the voucher; its redemptions stay on record. */
    @Transactional
    public Voucher delete(ProjectId project, String code) {
        var existing = named(project, vouchers.lock(project, code).orElseThrow(() -> notFound(code)));
        vouchers.delete(project, existing.id());
        if (existing.campaignId() != null) {
            campaigns.vouchersAdded(project, existing.campaignId(), -1);
        }
        events.publishEvent(new VoucherDeleted(EventMeta.of(project, clock), existing));
        return existing;
    }

    /** Newest first, optionally of one campaign (by id or name) or held by one customer. */
    public List<Voucher> vouchers(
            ProjectId project, @Nullable String campaign, @Nullable String holderId, Paging paging) {
        var campaignId =
                campaign == null ? null : campaigns.campaign(project, campaign).id();
        var names = new HashMap<String, String>();
        return vouchers.list(project, campaignId, holderId, paging).stream()
                .map(v -> v.campaignId() == null
                        ? v
                        : v.named(names.computeIfAbsent(
                                v.campaignId(),
                                id -> campaigns.campaign(project, id).name())))
                .toList();
    }

    public long countVouchers(ProjectId project, @Nullable String campaign, @Nullable String holderId) {
        var campaignId =
                campaign == null ? null : campaigns.campaign(project, campaign).id();
        return vouchers.count(project, campaignId, holderId);
    }

    Voucher named(ProjectId project, Voucher voucher) {
        return voucher.campaignId() == null
                ? voucher
                : voucher.named(
                        campaigns.campaign(project, voucher.campaignId()).name());
    }

    static ApiException notFound(String code) {
        return new ApiException(HttpStatus.NOT_FOUND, "resource_not_found", "Cannot find voucher with id " + code, code)
                .about(code, "voucher");
    }
}
