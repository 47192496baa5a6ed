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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates and redeems codes against an order, and rolls redemptions back. A redemption locks its vouchers, checks
 * them and records the result in one transaction, so limits and gift balances stay exact under any concurrency; a
 * refused redemption writes nothing but its failure record.
 */
@Service
public class Redemptions {

    private final Vouchers vouchers;
    private final RedemptionRecords records;
    private final TransactionLocks locks;
    private final Eligibility eligibility;
    private final VoucherManagement voucherManagement;
    private final CampaignManagement campaigns;
    private final CustomerManagement customers;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final Clock clock;

    Redemptions(
            Vouchers vouchers,
            RedemptionRecords records,
            TransactionLocks locks,
            Eligibility eligibility,
            VoucherManagement voucherManagement,
            CampaignManagement campaigns,
            CustomerManagement customers,
            ApplicationEventPublisher events,
            TransactionTemplate transaction,
            JsonMapper json,
            Clock clock) {
        this.vouchers = vouchers;
        this.records = records;
        this.locks = locks;
        this.eligibility = eligibility;
        this.voucherManagement = voucherManagement;
        this.campaigns = campaigns;
        this.customers = customers;
        this.events = events;
        this.transaction = transaction;
        this.json = json;
        this.clock = clock;
    }

    /** The outcome of a validation: per code, what it gives or why it does not apply. */
    record Validated(RedemptionRequest request, List<Outcome> outcomes, Map<String, Object> order, String trackingId) {
        boolean valid() {
            return outcomes.stream().allMatch(o -> o.refusal() == null);
        }
    }

    /** One code's outcome: applied (with the order as it stands after it) or refused. */
    record Outcome(
            String code,
            Eligibility.@Nullable Applied applied,
            Eligibility.@Nullable Refusal refusal,
            @Nullable Map<String, Object> order) {}

    /** Validates the codes without writing anything; a customer named only by source id need not exist yet. */
    Validated validate(ProjectId project, RedemptionRequest request) {
        var customer = request.customer() == null ? null : existingCustomer(project, request.customer());
        var customerVariables = customerVariables(customer, request.customer());
        var now = clock.instant();
        var outcomes = new ArrayList<Outcome>();
        var remaining = request.order().amount();
        long discount = 0;
        for (var redeemable : request.redeemables()) {
            try {
                var voucher = vouchers.find(project, redeemable.code()).orElse(null);
                var campaign = campaignOf(project, voucher);
                var applied = check(
                        project, voucher, redeemable, campaign, customer, customerVariables, request, remaining, now);
                discount += applied.discount();
                remaining = remaining == null ? null : remaining - applied.discount();
                outcomes.add(new Outcome(
                        redeemable.code(),
                        applied,
                        null,
                        order(request, customer, discount, applied.discount(), null, applied)));
            } catch (Eligibility.Refusal refusal) {
                outcomes.add(new Outcome(redeemable.code(), null, refusal, null));
            }
        }
        var tracking = trackingId(request, customer);
        return new Validated(request, outcomes, order(request, customer, discount, discount, null, null), tracking);
    }

    /** What a successful redemption made: one redemption per code and, for several codes, their parent. */
    record Redeemed(List<Redemption> redemptions, @Nullable Redemption parent, Map<String, Object> order) {}

    /**
     * Redeems every code or none. The customer is upserted first (as Voucherify does, also when the redemption is
     * then refused); a refusal is recorded as a failed redemption and answered with its error.
     */
    Redeemed redeem(ProjectId project, RedemptionRequest request) {
        // The customer is committed before the codes are locked: creating it inside the redemption's transaction
        // would make parallel first redemptions of one customer wait on each other's customer and code in opposite
        // orders, and deadlock.
        var customer = request.customer() == null ? null : customers.resolve(project, request.customer());
        try {
            return Objects.requireNonNull(transaction.execute(status -> redeemAll(project, request, customer)));
        } catch (Failed failed) {
            var failure = transaction.execute(status -> recordFailure(project, request, customer, failed));
            throw new ApiException(
                            failed.refusal.status == 404 ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST,
                            failed.refusal.key,
                            failed.refusal.getMessage(),
                            failed.refusal.customMessage == null
                                    ? Map.of(
                                            "code",
                                            failed.code,
                                            "redemption_id",
                                            Objects.requireNonNull(failure).id())
                                    : Map.of(
                                            "code", failed.code,
                                            "redemption_id",
                                                    Objects.requireNonNull(failure)
                                                            .id(),
                                            "error", Map.of("message", failed.refusal.customMessage)))
                    .about(Objects.requireNonNull(failure).id(), "redemption");
        }
    }

    /**
     * Redeems as {@code POST /v1/redemptions} does ({@code redeemables}, {@code customer}, {@code order}), for the
     * other modules: the redemptions made, one per code.
     */
    public List<Redemption> redeem(ProjectId project, JsonNode body) {
        return redeem(project, RedemptionRequest.stackable(body, json)).redemptions();
    }

    /** A refusal of one code, which rolls the whole redemption back. */
    private static final class Failed extends RuntimeException {
        final String code;
        final @Nullable Voucher voucher;
        final Eligibility.Refusal refusal;

        Failed(String code, @Nullable Voucher voucher, Eligibility.Refusal refusal) {
            super(refusal.getMessage(), null, false, false);
            this.code = code;
            this.voucher = voucher;
            this.refusal = refusal;
        }
    }

    private Redeemed redeemAll(ProjectId project, RedemptionRequest request, @Nullable Customer customer) {
        var now = clock.instant();
        // Lock every code first, in a fixed order, so that two redemptions of the same codes never deadlock.
        var locked = new HashMap<String, Voucher>();
        request.redeemables().stream()
                .map(RedemptionRequest.Redeemable::code)
                .sorted(Comparator.naturalOrder())
                .forEach(code -> vouchers.lock(project, code).ifPresent(v -> locked.put(code, v)));
        var customerVariables = customerVariables(customer, request.customer());
        var tracking = trackingId(request, customer);
        var orderId = request.order().id() != null ? request.order().id() : Ids.generate("ord");
        var parentId = request.redeemables().size() > 1 ? Ids.generate("r") : null;
        var remaining = request.order().amount();
        long discount = 0;
        var applied = new ArrayList<Eligibility.Applied>();
        for (var redeemable : request.redeemables()) {
            var voucher = locked.get(redeemable.code());
            var campaign = campaignOf(project, voucher);
            try {
                if (voucher != null && customer != null && limitsPerCustomer(voucher, campaign)) {
                    // Per-customer limits hold when the customer redeems several codes of the campaign at once.
                    locks.lock("redemptions/" + (voucher.campaignId() != null ? voucher.campaignId() : voucher.id())
                            + "/" + customer.id());
                }
                var each = check(
                        project, voucher, redeemable, campaign, customer, customerVariables, request, remaining, now);
                applied.add(each);
                discount += each.discount();
                remaining = remaining == null ? null : remaining - each.discount();
            } catch (Eligibility.Refusal refusal) {
                throw new Failed(redeemable.code(), voucher, refusal);
            }
        }
        var redemptions = new ArrayList<Redemption>();
        long cumulative = 0;
        for (var each : applied) {
            cumulative += each.discount();
            var voucher = each.voucher();
            long credits = each.credits() == null ? 0 : each.credits();
            vouchers.redeem(project, voucher.id(), each.discount(), credits, now);
            var after = voucher.redeemed(each.discount(), credits, now)
                    .named(each.campaign() == null ? null : each.campaign().name());
            var order = order(request, customer, cumulative, each.discount(), orderId, each);
            var redemption = new Redemption(
                    Ids.generate("r"),
                    now,
                    customer == null ? null : customer.id(),
                    tracking,
                    request.metadata(),
                    each.discount(),
                    parentId,
                    "SUCCESS",
                    "SUCCEEDED",
                    null,
                    null,
                    order,
                    customer,
                    "voucher",
                    voucher.id(),
                    after,
                    voucher.code(),
                    voucher.campaignId(),
                    each.credits());
            redemptions.add(redemption);
        }
        var totals = order(request, customer, discount, discount, orderId, null);
        Redemption parent = null;
        if (parentId != null) {
            parent = new Redemption(
                    parentId,
                    now,
                    customer == null ? null : customer.id(),
                    tracking,
                    request.metadata(),
                    discount,
                    null,
                    "SUCCESS",
                    "SUCCEEDED",
                    null,
                    null,
                    totals,
                    customer,
                    "redemption",
                    parentId,
                    null,
                    null,
                    null,
                    null);
            records.insert(project, parent);
        }
        for (var redemption : redemptions) {
            records.insert(project, redemption);
            events.publishEvent(new RedemptionSucceeded(EventMeta.of(project, clock), redemption));
            if (customer != null) {
                customers.recordActivity(project, customer, "redemption", "redemption.succeeded", activity(redemption));
            }
        }
        return new Redeemed(redemptions, parent, totals);
    }

    private Redemption recordFailure(
            ProjectId project, RedemptionRequest request, @Nullable Customer customer, Failed failed) {
        var voucher = failed.voucher;
        var failure = new Redemption(
                Ids.generate("rf"),
                clock.instant(),
                customer == null ? null : customer.id(),
                trackingId(request, customer),
                request.metadata(),
                0,
                null,
                "FAILURE",
                "FAILED",
                failed.refusal.status == 404 ? "resource_not_found" : failed.refusal.key,
                failed.refusal.getMessage(),
                null,
                customer,
                "voucher",
                voucher == null ? null : voucher.id(),
                voucher == null
                        ? Map.of("code", failed.code, "object", "voucher")
                        : voucherManagement.named(project, voucher),
                failed.code,
                voucher == null ? null : voucher.campaignId(),
                null);
        records.insert(project, failure);
        events.publishEvent(new RedemptionFailed(EventMeta.of(project, clock), failure));
        if (customer != null) {
            customers.recordActivity(project, customer, "redemption", "redemption.failed", activity(failure));
        }
        return failure;
    }

    /** Undoes a single redemption: its use, discount and gift credit go back to the voucher. */
    Rollback rollback(
            ProjectId project, String id, @Nullable String reason, @Nullable String trackingId, JsonNode body) {
        return Objects.requireNonNull(transaction.execute(status -> {
            var redemption = records.lock(project, id).orElseThrow(() -> ApiException.notFound("redemption", id));
            if ("redemption".equals(redemption.relatedObjectType())) {
                throw refused(
                        "invalid_redemption",
                        "You can rollback only a single redemption. Use different endpoint for stacked redemption.");
            }
            if (redemption.parentId() != null) {
                throw refused(
                        "invalid_redemption_parent",
                        "You can rollback only a redemption that does not have parent redemption.");
            }
            checkRollbackCustomer(project, redemption, body);
            return undo(project, redemption, null, reason(reason, body), trackingId);
        }));
    }

    /** What rolling back a redemption of several codes made. */
    record RolledBack(List<Rollback> rollbacks, Rollback parent, Map<String, Object> order) {}

    /** Undoes a redemption of several codes, all of them. */
    RolledBack rollbackStacked(
            ProjectId project, String id, @Nullable String reason, @Nullable String trackingId, JsonNode body) {
        return Objects.requireNonNull(transaction.execute(status -> {
            var parent = records.lock(project, id).orElseThrow(() -> ApiException.notFound("redemption", id));
            if (!"redemption".equals(parent.relatedObjectType())) {
                throw refused(
                        "invalid_redemption",
                        "This redemption is of a single code: roll it back with /v1/redemptions/{id}/rollback");
            }
            checkRollbackCustomer(project, parent, body);
            var why = reason(reason, body);
            var parentRollback = undo(project, parent, null, why, trackingId);
            var rollbacks = new ArrayList<Rollback>();
            for (var child : records.children(project, parent.id())) {
                rollbacks.add(undo(project, child, parentRollback.id(), why, trackingId));
            }
            return new RolledBack(rollbacks, parentRollback, Objects.requireNonNull(parentRollback.order()));
        }));
    }

    private Rollback undo(
            ProjectId project,
            Redemption redemption,
            @Nullable String parentRollbackId,
            @Nullable String reason,
            @Nullable String trackingId) {
        if ("ROLLED_BACK".equals(redemption.status())) {
            throw refused("already_rolled_back", "Redemption has been already rolled back.");
        }
        if (!redemption.succeeded()) {
            throw refused("invalid_redemption", "Only a successful redemption can be rolled back.");
        }
        var now = clock.instant();
        Object voucher = null;
        if ("voucher".equals(redemption.relatedObjectType()) && redemption.relatedObjectId() != null) {
            long credits = redemption.giftAmount() == null ? 0 : redemption.giftAmount();
            if (vouchers.restore(project, redemption.relatedObjectId(), redemption.amount(), credits, now)) {
                voucher = vouchers.find(project, Objects.requireNonNull(redemption.code()))
                        .map(v -> voucherManagement.named(project, v))
                        .orElse(null);
            }
        }
        var order = redemption.order() == null ? null : new LinkedHashMap<>(redemption.order());
        if (order != null) {
            order.put("status", "CANCELED");
            order.put("updated_at", now);
        }
        var customer = redemption.customerId() == null
                ? null
                : customers.findCustomer(project, redemption.customerId()).orElse(null);
        var rollback = new Rollback(
                Ids.generate("rr"),
                now,
                redemption.customerId(),
                trackingId != null ? trackingId : redemption.trackingId(),
                redemption.metadata(),
                -redemption.amount(),
                redemption.id(),
                reason,
                order,
                customer,
                redemption.relatedObjectType(),
                redemption.relatedObjectId(),
                voucher,
                redemption.giftAmount() == null ? null : -redemption.giftAmount());
        if (!records.insertRollback(project, rollback, parentRollbackId)) {
            throw refused("already_rolled_back", "Redemption has been already rolled back.");
        }
        records.markRolledBack(project, redemption.id());
        if ("voucher".equals(redemption.relatedObjectType())) {
            events.publishEvent(new RedemptionRolledBack(EventMeta.of(project, clock), rollback));
            if (customer != null) {
                customers.recordActivity(
                        project,
                        customer,
                        "redemption",
                        "redemption.rollback.succeeded",
                        Map.of(
                                "rollback_id",
                                rollback.id(),
                                "redemption_id",
                                redemption.id(),
                                "code",
                                Objects.requireNonNullElse(redemption.code(), ""),
                                "amount",
                                rollback.amount()));
            }
        }
        return rollback;
    }

    private void checkRollbackCustomer(ProjectId project, Redemption redemption, JsonNode body) {
        var customer = body.path("customer");
        if (customer.isObject()) {
            var ref = customer.path("id").isString()
                    ? customer.path("id").asString()
                    : customer.path("source_id").asString("");
            var named = customers.findCustomer(project, ref).map(Customer::id).orElse(null);
            if (named == null || !named.equals(redemption.customerId())) {
                throw refused("invalid_customer", "Customer is not related with redemption.");
            }
        }
    }

    private static @Nullable String reason(@Nullable String reason, JsonNode body) {
        if (reason != null) {
            return reason;
        }
        var text = body.path("reason");
        return text.isString() ? text.asString() : null;
    }

    /** A redemption, or a rollback when the id is one ({@code rr_…}). */
    Object redemption(ProjectId project, String id) {
        if (id.startsWith("rr_")) {
            return records.findRollback(project, id).orElseThrow(() -> ApiException.notFound("redemption", id));
        }
        var redemption = records.find(project, id).orElseThrow(() -> ApiException.notFound("redemption", id));
        var customer = redemption.customerId() == null
                ? null
                : customers.findCustomer(project, redemption.customerId()).orElse(null);
        var voucher = redemption.code() == null
                ? redemption.voucher()
                : vouchers.find(project, redemption.code())
                        .map(v -> (Object) voucherManagement.named(project, v))
                        .orElse(redemption.voucher());
        return redemption.with(customer, voucher);
    }

    /** Newest first, with the filters of Voucherify's list: {@code result}, {@code campaign}, {@code customer}. */
    List<Redemption> redemptions(ProjectId project, Map<String, String> filters, Paging paging) {
        return records.list(project, filter(project, filters), paging);
    }

    long countRedemptions(ProjectId project, Map<String, String> filters) {
        return records.count(project, filter(project, filters));
    }

    private RedemptionRecords.Filter filter(ProjectId project, Map<String, String> filters) {
        var result = filters.get("result");
        if (result != null && !result.equals("SUCCESS") && !result.equals("FAILURE")) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_query_params",
                    "result must be SUCCESS or FAILURE",
                    Map.of("result", "must be SUCCESS or FAILURE"));
        }
        var campaign = filters.get("campaign");
        var customer = filters.get("customer");
        var voucher = filters.get("voucher");
        return new RedemptionRecords.Filter(
                result,
                campaign == null ? null : campaigns.campaign(project, campaign).id(),
                customer == null
                        ? null
                        : customers
                                .findCustomer(project, customer)
                                .map(Customer::id)
                                .orElse(customer),
                voucher == null
                        ? null
                        : vouchers.find(project, voucher).map(Voucher::id).orElse(voucher));
    }

    private Eligibility.Applied check(
            ProjectId project,
            @Nullable Voucher voucher,
            RedemptionRequest.Redeemable redeemable,
            @Nullable Campaign campaign,
            @Nullable Customer customer,
            Map<String, Object> customerVariables,
            RedemptionRequest request,
            @Nullable Long remaining,
            Instant now) {
        long counted = voucher != null && customer != null && limitsPerCustomer(voucher, campaign)
                ? records.countByCustomer(project, voucher.campaignId(), voucher.id(), customer.id())
                : 0;
        var holder = voucher != null && voucher.isReferralCode() && voucher.holderId() != null
                ? customers.findCustomer(project, voucher.holderId()).orElse(null)
                : null;
        return eligibility.check(
                voucher,
                redeemable.code(),
                campaign,
                customer,
                request.customer() != null,
                customerVariables,
                request.order(),
                remaining,
                redeemable.credits(),
                counted,
                holder,
                now);
    }

    private static boolean limitsPerCustomer(Voucher voucher, @Nullable Campaign campaign) {
        return voucher.isReferralCode() || (campaign != null && campaign.redemptionsPerCustomer() != null);
    }

    private @Nullable Campaign campaignOf(ProjectId project, @Nullable Voucher voucher) {
        return voucher == null || voucher.campaignId() == null
                ? null
                : campaigns.campaign(project, voucher.campaignId());
    }

    private @Nullable Customer existingCustomer(ProjectId project, JsonNode reference) {
        var id = reference.path("id");
        var sourceId = reference.path("source_id");
        if (id.isString()) {
            return customers
                    .findCustomer(project, id.asString())
                    .orElseThrow(() -> ApiException.notFound("customer", id.asString()));
        }
        return sourceId.isString()
                ? customers.findCustomer(project, sourceId.asString()).orElse(null)
                : null;
    }

    /** The customer as rules see it: the stored profile, or what the request says of a customer not stored yet. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> customerVariables(@Nullable Customer customer, @Nullable JsonNode reference) {
        if (customer != null) {
            return customer.asVariables();
        }
        if (reference != null && reference.isObject()) {
            var variables = (Map<String, Object>) json.convertValue(reference, LinkedHashMap.class);
            variables.putIfAbsent("metadata", Map.of());
            variables.putIfAbsent("address", Map.of());
            return variables;
        }
        return Map.of("metadata", Map.of(), "address", Map.of());
    }

    private String trackingId(RedemptionRequest request, @Nullable Customer customer) {
        if (request.trackingId() != null) {
            return request.trackingId();
        }
        if (customer != null && customer.sourceId() != null) {
            return customer.sourceId();
        }
        return "track_" + Ids.random(24);
    }

    /**
     * The order as a redemption shows it, with Voucherify's amounts: {@code discount_amount} counts every code
     * applied so far, {@code applied_discount_amount} this code's share.
     */
    private Map<String, Object> order(
            RedemptionRequest request,
            @Nullable Customer customer,
            long discount,
            long applied,
            @Nullable String id,
            Eligibility.@Nullable Applied code) {
        var input = request.order();
        var order = new LinkedHashMap<String, Object>();
        if (id != null) {
            order.put("id", id);
        }
        order.put("source_id", input.sourceId());
        order.put("status", input.status() != null ? input.status() : "PAID");
        if (input.amount() != null) {
            order.put("amount", input.amount());
            order.put("discount_amount", discount);
            order.put("total_discount_amount", discount);
            order.put("total_amount", input.amount() - discount);
            order.put("applied_discount_amount", applied);
            order.put("total_applied_discount_amount", applied);
        }
        if (input.currency() != null) {
            order.put("currency", input.currency());
        }
        if (!input.items().isEmpty()) {
            order.put("items", input.items());
        }
        order.put("metadata", input.metadata());
        order.put("customer_id", customer == null ? null : customer.id());
        var referrer =
                code != null && code.voucher().isReferralCode() ? code.voucher().holderId() : null;
        order.put("referrer_id", referrer);
        if (referrer != null) {
            order.put("referrer", Map.of("id", referrer, "object", "customer"));
        }
        order.put("object", "order");
        return order;
    }

    private static Map<String, Object> activity(Redemption redemption) {
        var data = new LinkedHashMap<String, Object>();
        data.put("redemption_id", redemption.id());
        data.put("code", Objects.requireNonNullElse(redemption.code(), ""));
        if (redemption.campaignId() != null) {
            data.put("campaign_id", redemption.campaignId());
        }
        data.put("result", redemption.result());
        data.put("amount", redemption.amount());
        if (redemption.failureCode() != null) {
            data.put("failure_code", redemption.failureCode());
        }
        return data;
    }

    private static ApiException refused(String key, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, key, message);
    }
}
