package io.bestow.gifts;

import io.bestow.budgets.Budget;
import io.bestow.budgets.BudgetManagement;
import io.bestow.customers.Customer;
import io.bestow.customers.CustomerManagement;
import io.bestow.identity.IdentityManagement;
import io.bestow.shared.Actor;
import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.RequestBodies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gift sends and their lifecycles: the gifts module's API for sending. A send holds its cost from a budget when it
 * is created (or waits as {@code pending_funds} / {@code pending_approval}), captures it when the recipient claims
 * (e-gift) or confirms the address (physical), and gives it back when it is cancelled, expires, fails or returns.
 * Every change locks the send's row, checks the lifecycle, moves the money, records the transition and emits
 * {@code send.<status>} in one transaction.
 */
@Service
public class SendManagement {

    private static final Set<String> FIELDS = Set.of(
            "gift_id",
            "budget_id",
            "recipient",
            "customer",
            "sender_id",
            "campaign",
            "message",
            "confirm_address",
            "address",
            "expires_in_days",
            "metadata",
            "object");
    private static final Set<String> ADDRESS_FIELDS =
            Set.of("line_1", "line_2", "city", "state", "postal_code", "country");
    private static final String WHAT = "send";

    private final Sends sends;
    private final GiftManagement gifts;
    private final BudgetManagement budgets;
    private final CustomerManagement customers;
    private final IdentityManagement identity;
    private final ObjectProvider<Dispatching> dispatching;
    private final Map<String, FulfilmentProvider> providers;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration claimExpiry;

    SendManagement(
            Sends sends,
            GiftManagement gifts,
            BudgetManagement budgets,
            CustomerManagement customers,
            IdentityManagement identity,
            ObjectProvider<Dispatching> dispatching,
            List<FulfilmentProvider> providers,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactions,
            JsonMapper json,
            Clock clock,
            @Value("${bestow.gifts.claim-expiry:30d}") Duration claimExpiry) {
        this.sends = sends;
        this.gifts = gifts;
        this.budgets = budgets;
        this.customers = customers;
        this.identity = identity;
        this.dispatching = dispatching;
        this.providers = FulfilmentProvider.byName(providers);
        this.events = events;
        // Nested: inside a caller's transaction a send that finds the money gone rolls back to a savepoint and is
        // written again as pending, without spoiling the caller's work; on its own it is a transaction of its own.
        this.transaction = new TransactionTemplate(transactions);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.json = json;
        this.clock = clock;
        this.claimExpiry = claimExpiry;
    }

    public Send send(ProjectId project, String id) {
        return sends.find(project, id).orElseThrow(() -> ApiException.notFound(WHAT, id));
    }

    /** The send with its transitions and the ledger entries it caused. */
    public Map<String, Object> details(ProjectId project, String id) {
        var send = send(project, id);
        Map<String, Object> details = json.convertValue(send, new TypeReference<LinkedHashMap<String, Object>>() {});
        details.put("history", sends.transitions(project, id));
        details.put("ledger", budgets.entriesFor(project, id));
        return details;
    }

    /** A page of sends, newest first; every filter is optional. */
    public List<Send> sends(ProjectId project, SendQuery query, Paging paging) {
        checkStatus(query.status());
        return sends.list(project, query, paging);
    }

    public long countSends(ProjectId project, SendQuery query) {
        checkStatus(query.status());
        return sends.count(project, query);
    }

    /** The money of these sends by where it is ({@code held}, {@code captured}, …), in one query. */
    public Map<String, Long> moneyOf(ProjectId project, List<String> ids) {
        return sends.moneyOf(project, ids);
    }

    /** Sends a gift to a customer from a budget, as the request body describes. */
    public Send create(ProjectId project, JsonNode body) {
        RequestBodies.expectFields(body, FIELDS, WHAT);
        var giftId = RequestBodies.text(body, "gift_id", null, WHAT);
        if (giftId == null) {
            throw RequestBodies.invalid(WHAT, "gift_id", "is required");
        }
        var gift = gifts.giftForSending(project, giftId);
        if (!gift.active()) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "gift_inactive",
                    "The gift " + gift.id() + " is not active",
                    Map.of("gift_id", "is not active"));
        }
        var recipient = recipient(project, body);
        var confirmAddress = body.path("confirm_address").asBoolean(false);
        if (body.has("confirm_address") && !body.get("confirm_address").isBoolean()) {
            throw RequestBodies.invalid(WHAT, "confirm_address", "must be true or false");
        }
        if (confirmAddress && gift.type() != Gift.Type.PHYSICAL) {
            throw RequestBodies.invalid(WHAT, "confirm_address", "is for physical gifts only");
        }
        var address = gift.type() == Gift.Type.PHYSICAL ? address(body, recipient) : null;
        requireRecipientFields(gift, recipient, address);
        var senderId = senderId(project, body);
        var budget = budget(project, body, senderId, gift);
        var message = RequestBodies.text(body, "message", null, WHAT);
        if (message != null && message.length() > 2000) {
            throw RequestBodies.invalid(WHAT, "message", "must be at most 2000 characters");
        }
        var campaign = RequestBodies.text(body, "campaign", null, WHAT);
        var expiresIn = claimExpiry(body);
        Map<String, Object> metadata = Map.of();
        if (body.has("metadata") && !body.get("metadata").isNull()) {
            if (!body.get("metadata").isObject()) {
                throw RequestBodies.invalid(WHAT, "metadata", "must be an object");
            }
            metadata = json.convertValue(body.get("metadata"), new TypeReference<Map<String, Object>>() {});
        }
        return fund(
                project,
                draft(
                        gift,
                        recipient,
                        senderId,
                        budget,
                        campaign,
                        message,
                        confirmAddress,
                        address,
                        Send.FROM_API,
                        metadata),
                gift,
                recipient,
                budget,
                expiresIn);
    }

    /** What a gift link sends: its gift, from its budget, to the recipient who verified, held until claimed. */
    public record LinkedSend(
            String giftId,
            String budgetId,
            @Nullable String senderId,
            String campaign,
            @Nullable String message,
            String linkId,
            Duration holdFor) {}

    /**
     * Sends a gift link's gift to the recipient who just verified: {@code clicked} with its cost held (a physical gift
     * then waits for the recipient to confirm the address), or {@code pending_funds} when the budget is short. Inside
     * the caller's transaction, if there is one.
     *
     * @throws ApiException 422 {@code missing_recipient_fields} or {@code country_not_shippable}, as for any send
     */
    // A refusal leaves the caller's transaction usable: the caller records why and commits.
    @Transactional(noRollbackFor = ApiException.class)
    public Send sendClicked(ProjectId project, Customer recipient, LinkedSend linked) {
        var gift = gifts.giftForSending(project, linked.giftId());
        var budget = budgets.budget(project, linked.budgetId());
        var address = gift.type() == Gift.Type.PHYSICAL ? ownAddress(recipient) : null;
        requireRecipientFields(gift, recipient, address);
        var send = fund(
                project,
                draft(
                        gift,
                        recipient,
                        linked.senderId(),
                        budget,
                        linked.campaign(),
                        linked.message(),
                        gift.type() == Gift.Type.PHYSICAL,
                        address,
                        Send.FROM_GIFT_LINK,
                        Map.of("gift_link_id", linked.linkId())),
                gift,
                recipient,
                budget,
                linked.holdFor());
        return send.status().pending()
                ? send
                : move(project, send.id(), SendStatus.CLICKED, Change.by("recipient"))
                        .send();
    }

    /** The recipient of a gift link claims their e-gift: its money is captured. */
    @Transactional
    public Send claim(ProjectId project, String id) {
        return move(project, id, SendStatus.CLAIMED, Change.by("recipient")).send();
    }

    /** The recipient of a gift link confirms where the physical gift goes: its money is captured. */
    @Transactional
    public Send confirmAddress(ProjectId project, String id, Map<String, Object> address) {
        return move(
                        project,
                        id,
                        SendStatus.ADDRESS_CONFIRMED,
                        Change.by("recipient").address(address))
                .send();
    }

    private Send draft(
            Gift gift,
            Customer recipient,
            @Nullable String senderId,
            Budget budget,
            @Nullable String campaign,
            @Nullable String message,
            boolean confirmAddress,
            @Nullable Map<String, Object> address,
            String origin,
            Map<String, Object> metadata) {
        var now = clock.instant();
        return new Send(
                Ids.generate("send"),
                SendStatus.CREATED,
                gift.id(),
                gift.type(),
                recipient.id(),
                senderId,
                budget.id(),
                campaign,
                message,
                confirmAddress,
                address,
                gift.sendCost(),
                gift.currency(),
                Send.NO_FUNDS,
                gift.provider(),
                origin,
                null,
                null,
                null,
                null,
                metadata,
                now,
                now);
    }

    /** Writes the send funded, or waiting for an approval or for funds. */
    private Send fund(ProjectId project, Send draft, Gift gift, Customer recipient, Budget budget, Duration expiresIn) {
        long cost = draft.cost();
        if (budget.needsApproval(cost)) {
            return record(project, draft, SendStatus.PENDING_APPROVAL, null, gift, recipient, budget, expiresIn);
        }
        if (budget.available() < cost) {
            return record(project, draft, SendStatus.PENDING_FUNDS, null, gift, recipient, budget, expiresIn);
        }
        try {
            return record(project, draft, SendStatus.CREATED, Send.HELD, gift, recipient, budget, expiresIn);
        } catch (FundsShort e) {
            // Another send took the money since the budget was read: this one waits for funds instead.
            return record(project, draft, SendStatus.PENDING_FUNDS, null, gift, recipient, budget, expiresIn);
        }
    }

    /** Thrown inside a send's transaction to roll it back when the hold found too little money. */
    private static final class FundsShort extends RuntimeException {
        FundsShort() {
            super(null, null, false, false);
        }
    }

    /**
     * Writes a new send in one transaction. The hold comes last, so that the budget's row (which every send of the
     * budget updates) stays locked only for the hold and the commit.
     */
    private Send record(
            ProjectId project,
            Send draft,
            SendStatus status,
            @Nullable String funds,
            Gift gift,
            Customer recipient,
            Budget budget,
            Duration expiresIn) {
        var now = clock.instant();
        boolean funded = funds != null;
        var send = draft.withStatus(status, funded && draft.cost() > 0 ? funds : Send.NO_FUNDS, now);
        var expiring = funded && expires(send) ? send.withExpiry(now.plus(expiresIn)) : send.withExpiry(null);
        var provider = providers.get(gift.provider());
        boolean local = funded && provider != null && provider.local();
        var written = local
                ? expiring.withProviderReference(provider.dispatch(project, expiring, gift, recipient))
                : expiring;
        return Objects.requireNonNull(transaction.execute(tx -> {
            sends.insert(
                    project,
                    written,
                    funded && !local ? now : null,
                    local ? now : null,
                    new Transition(
                            Ids.generate("str"),
                            written.id(),
                            null,
                            status,
                            Actor.currentLabel(),
                            null,
                            null,
                            Map.of(),
                            now));
            announce(project, written, null, null, recipient);
            if (status == SendStatus.PENDING_FUNDS) {
                budgets.noticeShortfall(project, budget.id());
            }
            if (funded
                    && written.cost() > 0
                    && budgets.hold(project, budget, written.id(), written.cost(), recipient.id())
                            == BudgetManagement.HoldOutcome.INSUFFICIENT_FUNDS) {
                throw new FundsShort();
            }
            if (funded && !local) {
                dispatching.getObject().afterCommit(project, written.id());
            }
            return written;
        }));
    }

    /** Whether the send waits for its recipient (and so can expire): e-gifts, and physical gifts to confirm. */
    private static boolean expires(Send send) {
        return send.giftType() == Gift.Type.EGIFT || send.confirmAddress();
    }

    /**
     * Approves a pending send: the hold is taken now, and the send goes on as {@code approved}.
     *
     * @throws ApiException 409 {@code insufficient_funds} when the budget still has too little; top it up first
     */
    @Transactional
    public Send approve(ProjectId project, String id) {
        return move(project, id, SendStatus.APPROVED, Change.by(Actor.currentLabel()))
                .send();
    }

    /** Cancels a send that is not yet claimed or shipped; its money goes back to the budget. */
    @Transactional
    public Send cancel(ProjectId project, String id, @Nullable String reason) {
        return move(
                        project,
                        id,
                        SendStatus.CANCELLED,
                        Change.by(Actor.currentLabel()).because(reason))
                .send();
    }

    /** What a status update came to: the send as it is now, and whether the update was a repeat. */
    public record Reported(Send send, boolean duplicate, boolean changed) {}

    /**
     * Applies a status update from a fulfilment provider (or the recipient's side, such as a claim page), once per
     * {@code event_id}: a repeated event changes nothing, and so does an update to the status the send is in.
     */
    @Transactional
    public Reported report(ProjectId project, String id, JsonNode body) {
        RequestBodies.expectFields(
                body,
                Set.of("status", "event_id", "provider_reference", "address", "reason", "details"),
                "status update");
        var value = RequestBodies.text(body, "status", null, "status update");
        var status = value == null
                ? null
                : SendStatus.parse(value.toLowerCase(Locale.ROOT)).orElse(null);
        if (status == null || !SendStatus.REPORTABLE.contains(status)) {
            throw RequestBodies.invalid(
                    "status update",
                    "status",
                    "must be one of "
                            + String.join(
                                    ", ",
                                    SendStatus.REPORTABLE.stream()
                                            .map(SendStatus::value)
                                            .toList()));
        }
        var change = Change.by(Actor.currentLabel())
                .event(RequestBodies.text(body, "event_id", null, "status update"))
                .because(RequestBodies.text(body, "reason", null, "status update"))
                .reference(RequestBodies.text(body, "provider_reference", null, "status update"));
        if (body.has("address") && !body.get("address").isNull()) {
            change = change.address(addressFields(body.get("address"), "address"));
        }
        if (body.has("details") && !body.get("details").isNull()) {
            if (!body.get("details").isObject()) {
                throw RequestBodies.invalid("status update", "details", "must be an object");
            }
            change =
                    change.details(json.convertValue(body.get("details"), new TypeReference<Map<String, Object>>() {}));
        }
        return move(project, id, status, change);
    }

    /** Applies a status change that Bestow or a provider of its own decided on, once per event id. */
    @Transactional
    public Reported report(
            ProjectId project,
            String id,
            SendStatus status,
            String actor,
            @Nullable String eventId,
            @Nullable String reason) {
        return move(project, id, status, Change.by(actor).event(eventId).because(reason));
    }

    /** Who and what a status change carries besides the new status. */
    record Change(
            String actor,
            @Nullable String eventId,
            @Nullable String reason,
            @Nullable String providerReference,
            @Nullable Map<String, Object> address,
            Map<String, Object> details) {

        static Change by(String actor) {
            return new Change(actor, null, null, null, null, Map.of());
        }

        Change event(@Nullable String id) {
            return new Change(actor, id, reason, providerReference, address, details);
        }

        Change because(@Nullable String why) {
            return new Change(actor, eventId, why, providerReference, address, details);
        }

        Change reference(@Nullable String reference) {
            return new Change(actor, eventId, reason, reference, address, details);
        }

        Change address(Map<String, Object> confirmed) {
            return new Change(actor, eventId, reason, providerReference, confirmed, details);
        }

        Change details(Map<String, Object> more) {
            return new Change(actor, eventId, reason, providerReference, address, more);
        }
    }

    private Reported move(ProjectId project, String id, SendStatus next, Change change) {
        var send = sends.lock(project, id).orElseThrow(() -> ApiException.notFound(WHAT, id));
        var now = clock.instant();
        if (change.eventId() != null && !sends.firstDelivery(project, send.id(), change.eventId(), next, now)) {
            return new Reported(send, true, false);
        }
        if (send.status() == next) {
            return new Reported(send, false, false);
        }
        if (!send.status().canMoveTo(next, send.giftType(), send.confirmAddress())) {
            var allowed = new ArrayList<String>();
            for (var status : SendStatus.values()) {
                if (send.status().canMoveTo(status, send.giftType(), send.confirmAddress())) {
                    allowed.add(status.value());
                }
            }
            throw new ApiException(
                            HttpStatus.CONFLICT,
                            "illegal_transition",
                            "A "
                                    + send.giftType()
                                            .name()
                                            .toLowerCase(Locale.ROOT)
                                            .replace("egift", "e-gift") + " send cannot go from "
                                    + send.status().value() + " to " + next.value(),
                            Map.of("status", send.status().value(), "requested", next.value(), "allowed", allowed))
                    .about(send.id(), WHAT);
        }
        var funds = settle(project, send, next);
        var moved = send.withStatus(next, funds, now);
        if (next == SendStatus.APPROVED && expires(moved)) {
            moved = moved.withExpiry(now.plus(claimExpiry));
        }
        if (change.address() != null) {
            moved = moved.withAddress(change.address());
        }
        if (change.providerReference() != null) {
            moved = moved.withProviderReference(change.providerReference());
        }
        sends.update(project, moved);
        var recipient = customers.findCustomer(project, send.customerId()).orElse(null);
        transition(
                project,
                moved,
                send.status(),
                change.actor(),
                change.eventId(),
                change.reason(),
                change.details(),
                recipient);
        if (next == SendStatus.APPROVED) {
            var provider = providers.get(moved.provider());
            if (provider != null && provider.local() && recipient != null) {
                sends.dispatched(
                        project,
                        moved.id(),
                        provider.dispatch(project, moved, gifts.giftForSending(project, moved.giftId()), recipient),
                        now);
            } else {
                dispatching.getObject().afterCommit(project, moved.id());
            }
        }
        return new Reported(moved, false, true);
    }

    /** Moves the send's money as entering {@code next} requires; what the budget has of the send afterwards. */
    private String settle(ProjectId project, Send send, SendStatus next) {
        if (send.cost() == 0) {
            return Send.NO_FUNDS;
        }
        return switch (next.money(send.giftType())) {
            case HOLD -> {
                var budget = budgets.budget(project, send.budgetId());
                if (budgets.hold(project, budget, send.id(), send.cost(), send.customerId())
                        == BudgetManagement.HoldOutcome.INSUFFICIENT_FUNDS) {
                    throw new ApiException(
                                    HttpStatus.CONFLICT,
                                    "insufficient_funds",
                                    "The budget " + budget.id() + " has " + budget.available() + " "
                                            + budget.currency() + " available; the send needs " + send.cost()
                                            + ". Top it up first.",
                                    Map.of("available", budget.available(), "cost", send.cost()))
                            .about(send.id(), WHAT);
                }
                yield Send.HELD;
            }
            case CAPTURE ->
                budgets.capture(project, send.id()).map(e -> Send.CAPTURED).orElse(send.funds());
            case GIVE_BACK ->
                switch (send.funds()) {
                    case Send.HELD ->
                        budgets.release(project, send.id())
                                .map(e -> Send.RELEASED)
                                .orElse(send.funds());
                    case Send.CAPTURED ->
                        budgets.refund(project, send.id())
                                .map(e -> Send.REFUNDED)
                                .orElse(send.funds());
                    default -> send.funds();
                };
            case NONE -> send.funds();
        };
    }

    private void transition(
            ProjectId project,
            Send send,
            @Nullable SendStatus from,
            String actor,
            @Nullable String eventId,
            @Nullable String reason,
            Map<String, Object> details,
            @Nullable Customer recipient) {
        sends.insertTransition(
                project,
                new Transition(
                        Ids.generate("str"),
                        send.id(),
                        from,
                        send.status(),
                        actor,
                        eventId,
                        reason,
                        details,
                        send.updatedAt()));
        announce(project, send, from, reason, recipient);
    }

    /** Puts the send's new status on the recipient's timeline and emits {@code send.<status>}. */
    private void announce(
            ProjectId project,
            Send send,
            @Nullable SendStatus from,
            @Nullable String reason,
            @Nullable Customer recipient) {
        if (recipient != null) {
            var activity = new LinkedHashMap<String, Object>();
            activity.put("send_id", send.id());
            activity.put("gift_id", send.giftId());
            activity.put("status", send.status().value());
            if (from != null) {
                activity.put("previous_status", from.value());
            }
            activity.put("cost", send.cost());
            activity.put("currency", send.currency());
            if (send.campaign() != null) {
                activity.put("campaign", send.campaign());
            }
            if (reason != null) {
                activity.put("reason", reason);
            }
            customers.recordActivity(
                    project, recipient, "send", "send." + send.status().value(), activity);
        }
        events.publishEvent(new SendStatusChanged(EventMeta.of(project, clock), send, from));
    }

    /** Takes the send's hand-over if it is due and no other node has it; see {@link Dispatching}. */
    Optional<Sends.Taken> takeDispatch(ProjectId project, String id, Instant now, Instant leaseUntil) {
        return sends.takeDispatch(project, id, now, leaseUntil);
    }

    List<Map.Entry<String, String>> dueDispatches(int limit) {
        return sends.dueDispatches(clock.instant(), limit);
    }

    /** Notes that the provider accepted the send. */
    void dispatched(ProjectId project, String id, @Nullable String providerReference) {
        sends.dispatched(project, id, providerReference, clock.instant());
    }

    /** Notes a failed hand-over, to retry at {@code retryAt} (never, when null). */
    void dispatchFailed(ProjectId project, String id, String error, @Nullable Instant retryAt) {
        sends.dispatchFailed(project, id, error, retryAt);
    }

    /** Fails a send its provider never took; its money goes back. */
    @Transactional
    void giveUp(ProjectId project, String id, String reason) {
        var send = send(project, id);
        if (send.status().canMoveTo(SendStatus.FAILED, send.giftType(), send.confirmAddress())) {
            move(project, id, SendStatus.FAILED, Change.by("system").because(reason));
        }
    }

    /** The sandbox provider's sends that last moved before {@code before} and can still move on. */
    List<Map.Entry<String, String>> sandboxDue(Instant before, int limit) {
        return sends.sandboxDue(before, limit);
    }

    /**
     * Expires sends whose claim time ran out, a batch at a time (rows another node is expiring are skipped), and
     * gives their money back; how many.
     */
    int expireDue(int batch) {
        return Objects.requireNonNull(transaction.execute(tx -> {
            var due = sends.lockExpired(clock.instant(), batch);
            for (var send : due) {
                move(
                        new ProjectId(send.getKey()),
                        send.getValue(),
                        SendStatus.EXPIRED,
                        Change.by("system").because("not claimed in time"));
            }
            return due.size();
        }));
    }

    private Customer recipient(ProjectId project, JsonNode body) {
        var reference = body.has("recipient") ? body.get("recipient") : body.get("customer");
        if (reference == null || !reference.isObject()) {
            throw RequestBodies.invalid(
                    WHAT, "recipient", "is required: {\"id\": \"cust_…\"} or {\"source_id\": \"…\"}");
        }
        var id = reference.path("id").isString() ? reference.path("id").asString() : null;
        var sourceId = reference.path("source_id").isString()
                ? reference.path("source_id").asString()
                : null;
        var key = id != null && !id.isBlank() ? id : sourceId;
        if (key == null || key.isBlank()) {
            throw RequestBodies.invalid(WHAT, "recipient", "needs an id or a source_id");
        }
        return customers.customer(project, key.trim());
    }

    /** The shipping address: the one given, else the customer's own. */
    private Map<String, Object> address(JsonNode body, Customer recipient) {
        if (body.has("address") && !body.get("address").isNull()) {
            return addressFields(body.get("address"), "address");
        }
        return ownAddress(recipient);
    }

    /**
     * Refuses a recipient who lacks what the gift needs (a physical gift going to their own address), as a send of it
     * would.
     *
     * @throws ApiException 422 {@code missing_recipient_fields} or {@code country_not_shippable}
     */
    public static void checkRecipient(Gift gift, Customer recipient) {
        requireRecipientFields(gift, recipient, gift.type() == Gift.Type.PHYSICAL ? ownAddress(recipient) : null);
    }

    private static Map<String, Object> ownAddress(Customer recipient) {
        var own = recipient.asVariables().get("address");
        var address = new LinkedHashMap<String, Object>();
        if (own instanceof Map<?, ?> fields) {
            fields.forEach((key, value) -> address.put(String.valueOf(key), value));
        }
        return address;
    }

    private Map<String, Object> addressFields(JsonNode node, String field) {
        if (!node.isObject()) {
            throw RequestBodies.invalid(
                    WHAT, field, "must be an object with line_1, line_2, city, state, postal_code, country");
        }
        var address = new LinkedHashMap<String, Object>();
        for (var entry : node.properties()) {
            if (!ADDRESS_FIELDS.contains(entry.getKey())) {
                throw RequestBodies.invalid(WHAT, field + "." + entry.getKey(), "is not an address field");
            }
            if (!entry.getValue().isNull()) {
                if (!entry.getValue().isString()) {
                    throw RequestBodies.invalid(WHAT, field + "." + entry.getKey(), "must be a string");
                }
                var value = entry.getValue().asString().trim();
                address.put(entry.getKey(), entry.getKey().equals("country") ? value.toUpperCase(Locale.ROOT) : value);
            }
        }
        return address;
    }

    /**
     * Refuses a send whose recipient lacks what the gift needs: first name, last name and e-mail, and for a physical
     * gift a country it ships to.
     */
    static void requireRecipientFields(Gift gift, Customer recipient, @Nullable Map<String, Object> address) {
        var missing = new ArrayList<String>();
        if (blank(recipient.firstName())) {
            missing.add("first_name");
        }
        if (blank(recipient.lastName())) {
            missing.add("last_name");
        }
        if (blank(recipient.email())) {
            missing.add("email");
        }
        var country = address == null ? null : (String) address.get("country");
        if (gift.type() == Gift.Type.PHYSICAL && blank(country)) {
            missing.add("address.country");
        }
        if (!missing.isEmpty()) {
            throw new ApiException(
                            HttpStatus.UNPROCESSABLE_ENTITY,
                            "missing_recipient_fields",
                            "The recipient " + recipient.id() + " lacks what "
                                    + (gift.type() == Gift.Type.EGIFT ? "an e-gift" : "a physical gift") + " needs: "
                                    + String.join(", ", missing),
                            Map.of("missing", missing))
                    .about(recipient.id(), "customer");
        }
        if (gift.type() == Gift.Type.PHYSICAL && !gift.shipsTo(Objects.requireNonNull(country))) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "country_not_shippable",
                    "The gift " + gift.id() + " ships to " + String.join(", ", gift.shipsTo()) + ", not to " + country,
                    Map.of("country", country, "ships_to", gift.shipsTo()));
        }
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    /** The sender: the one named, else the console user who sends, else nobody (an API key sending for itself). */
    private @Nullable String senderId(ProjectId project, JsonNode body) {
        var senderId = RequestBodies.text(body, "sender_id", null, WHAT);
        if (senderId != null) {
            return identity.user(project, senderId).id();
        }
        return Actor.current()
                .filter(actor -> actor.kind() == Actor.Kind.USER)
                .map(Actor::id)
                .orElse(null);
    }

    /** The budget named, else the sender's own in the gift's currency. */
    private Budget budget(ProjectId project, JsonNode body, @Nullable String senderId, Gift gift) {
        var budgetId = RequestBodies.text(body, "budget_id", null, WHAT);
        Budget budget;
        if (budgetId != null) {
            budget = budgets.budget(project, budgetId);
        } else if (senderId != null) {
            budget = budgets.senderBudget(project, senderId, gift.currency())
                    .orElseThrow(() -> RequestBodies.invalid(
                            WHAT,
                            "budget_id",
                            "is required: the sender " + senderId + " has no " + gift.currency() + " budget"));
        } else {
            throw RequestBodies.invalid(WHAT, "budget_id", "is required when the send names no sender_id");
        }
        if (!budget.currency().equals(gift.currency())) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "currency_mismatch",
                    "The gift costs " + gift.currency() + " but the budget " + budget.id() + " holds "
                            + budget.currency(),
                    Map.of("gift_currency", gift.currency(), "budget_currency", budget.currency()));
        }
        return budget;
    }

    private Duration claimExpiry(JsonNode body) {
        if (!body.has("expires_in_days") || body.get("expires_in_days").isNull()) {
            return claimExpiry;
        }
        var days = body.get("expires_in_days");
        if (!days.isIntegralNumber() || days.asLong() < 1 || days.asLong() > 365) {
            throw RequestBodies.invalid(WHAT, "expires_in_days", "must be a whole number of days from 1 to 365");
        }
        return Duration.ofDays(days.asLong());
    }

    private static void checkStatus(@Nullable String status) {
        if (status != null && SendStatus.parse(status).isEmpty()) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_query_params",
                    "status is not a send status",
                    Map.of("status", "is not a send status"));
        }
    }
}
