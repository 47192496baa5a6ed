package io.bestow.codes;

import io.bestow.campaigns.Campaign;
import io.bestow.campaigns.CampaignManagement;
import io.bestow.customers.Customer;
import io.bestow.customers.CustomerManagement;
import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.TransactionLocks;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hands codes to customers. A campaign publication takes a free code of the campaign (an {@code AUTO_UPDATE}
 * campaign makes one when none is left); with {@code join_once} a customer always gets their first code again, even
 * when several publications for them run at once. For a referral campaign the code is the customer's referrer code.
 */
@Service
public class Publications {

    private final Vouchers vouchers;
    private final PublicationRecords records;
    private final VoucherManagement voucherManagement;
    private final CampaignManagement campaigns;
    private final CustomerManagement customers;
    private final TransactionLocks locks;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    Publications(
            Vouchers vouchers,
            PublicationRecords records,
            VoucherManagement voucherManagement,
            CampaignManagement campaigns,
            CustomerManagement customers,
            TransactionLocks locks,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.vouchers = vouchers;
        this.records = records;
        this.voucherManagement = voucherManagement;
        this.campaigns = campaigns;
        this.customers = customers;
        this.locks = locks;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Publishes as {@code POST /v1/publications} does: {@code campaign} (a name, or an object with {@code name} or
     * {@code id}) or {@code voucher} (a code), {@code customer}, and optionally {@code channel}, {@code source_id},
     * {@code metadata} and {@code join_once}.
     */
    @Transactional
    public Publication publish(ProjectId project, JsonNode body, boolean joinOnceParameter) {
        if (!body.isObject()) {
            throw ApiException.invalid("The publication must be a JSON object", null);
        }
        var campaignRef = campaignRef(body.path("campaign"));
        var code = body.path("voucher").isString() ? body.path("voucher").asString() : null;
        if (campaignRef == null && code == null) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST, "missing_vouchers", "Either campaign or voucher is required");
        }
        if (!body.path("customer").isObject()) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST, "missing_customer", "A customer (with an id or a source_id) is required");
        }
        var metadata = body.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isNull() && !metadata.isObject()) {
            throw ApiException.invalid("metadata must be a JSON object", Map.of("metadata", "must be a JSON object"));
        }
        var customer = customers.resolve(project, body.path("customer"));
        var sourceId =
                body.path("source_id").isString() ? body.path("source_id").asString() : null;
        if (sourceId != null) {
            locks.lock("publication/" + project.value() + "/" + sourceId);
            var existing = records.bySourceId(project, sourceId);
            if (existing.isPresent()) {
                if (!existing.get().customerId().equals(customer.id())) {
                    throw new ApiException(
                            HttpStatus.BAD_REQUEST,
                            "duplicate_source_id",
                            "Publication with source_id: '" + sourceId + "' already exists");
                }
                return shown(project, existing.get(), customer);
            }
        }
        var channel = body.path("channel").isString() ? body.path("channel").asString() : "API";
        @SuppressWarnings("unchecked")
        Map<String, Object> data = metadata.isObject() ? json.convertValue(metadata, LinkedHashMap.class) : Map.of();
        if (code != null) {
            var voucher = vouchers.lock(project, code).orElseThrow(() -> VoucherManagement.notFound(code));
            if (voucher.holderId() != null && !voucher.holderId().equals(customer.id())) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "voucher_already_published",
                        "Voucher '" + voucher.id() + "' has already been published");
            }
            return record(project, voucher, customer, channel, sourceId, data, false);
        }
        var campaign = campaigns.campaign(project, campaignRef);
        boolean joinOnce = joinOnceParameter || body.path("join_once").asBoolean(false) || campaign.joinOnce();
        if (joinOnce) {
            locks.lock("join/" + campaign.id() + "/" + customer.id());
            var first = records.first(project, campaign.id(), customer.id());
            if (first.isPresent()) {
                return shown(project, first.get(), customer);
            }
        }
        var voucher = vouchers.lockUnpublished(project, campaign.id()).orElseGet(() -> newCode(project, campaign));
        return record(project, voucher, customer, channel, sourceId, data, joinOnce);
    }

    private Voucher newCode(ProjectId project, Campaign campaign) {
        if (!"AUTO_UPDATE".equals(campaign.type())) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "no_voucher_suitable_for_publication",
                    "The campaign has no free code left to publish");
        }
        return voucherManagement.addToCampaign(project, campaign, null, json.createObjectNode());
    }

    private Publication record(
            ProjectId project,
            Voucher voucher,
            Customer customer,
            String channel,
            @Nullable String sourceId,
            Map<String, Object> metadata,
            boolean joinOnce) {
        var now = clock.instant();
        var published = voucherManagement.named(project, vouchers.publish(project, voucher.id(), customer.id(), now));
        var publication = new Publication(
                Ids.generate("pub"),
                now,
                customer.id(),
                customer.sourceId(),
                metadata,
                channel,
                sourceId,
                customer,
                published,
                voucher.id(),
                voucher.code(),
                voucher.campaignId());
        records.insert(project, publication, joinOnce && voucher.campaignId() != null);
        events.publishEvent(new VoucherPublished(EventMeta.of(project, clock), publication));
        var activity = new LinkedHashMap<String, Object>();
        activity.put("publication_id", publication.id());
        activity.put("code", voucher.code());
        if (voucher.campaignId() != null) {
            activity.put("campaign_id", voucher.campaignId());
        }
        customers.recordActivity(project, customer, "publication", "voucher.published", activity);
        return publication;
    }

    private Publication shown(ProjectId project, Publication publication, Customer customer) {
        var voucher = vouchers.find(project, publication.code())
                .map(v -> voucherManagement.named(project, v))
                .orElse(null);
        return publication.with(customer, voucher);
    }

    private static @Nullable String campaignRef(JsonNode campaign) {
        if (campaign.isString()) {
            return campaign.asString();
        }
        if (campaign.isObject()) {
            if (campaign.path("id").isString()) {
                return campaign.path("id").asString();
            }
            if (campaign.path("name").isString()) {
                return campaign.path("name").asString();
            }
        }
        return null;
    }

    /** Newest first; filters by campaign (id or name) and customer. */
    public List<Publication> publications(
            ProjectId project, @Nullable String campaign, @Nullable String customer, Paging paging) {
        return records.list(project, campaignId(project, campaign), customerId(project, customer), paging);
    }

    public long countPublications(ProjectId project, @Nullable String campaign, @Nullable String customer) {
        return records.count(project, campaignId(project, campaign), customerId(project, customer));
    }

    private @Nullable String campaignId(ProjectId project, @Nullable String campaign) {
        return campaign == null ? null : campaigns.campaign(project, campaign).id();
    }

    private @Nullable String customerId(ProjectId project, @Nullable String customer) {
        return customer == null
                ? null
                : customers.findCustomer(project, customer).map(Customer::id).orElse(customer);
    }
}
