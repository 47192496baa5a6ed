package io.bestow.budgets;

import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.RequestBodies;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Budgets and their ledger: the budgets module's API. Sends reserve money with {@link #hold}, and settle it with
 * {@link #capture}, {@link #release} or {@link #refund}, each keyed by the send's id so that a retry moves nothing
 * twice.
 */
@Service
public class BudgetManagement {

    private static final Set<String> FIELDS = Set.of(
            "name",
            "owner",
            "currency",
            "per_recipient_annual_cap",
            "low_balance_threshold",
            "approval_threshold",
            "metadata",
            "object");
    private static final Set<String> OWNER_TYPES =
            Set.of(Budget.Owner.TEAM, Budget.Owner.SENDER, Budget.Owner.CAMPAIGN);
    private static final Set<String> ENTRY_TYPES = Set.of(
            LedgerEntry.TOP_UP,
            LedgerEntry.HOLD,
            LedgerEntry.CAPTURE,
            LedgerEntry.RELEASE,
            LedgerEntry.REFUND,
            LedgerEntry.ADJUSTMENT);
    private static final String WHAT = "budget";

    private final Budgets budgets;
    private final Ledger ledger;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    BudgetManagement(Budgets budgets, Ledger ledger, ApplicationEventPublisher events, JsonMapper json, Clock clock) {
        this.budgets = budgets;
        this.ledger = ledger;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    public Budget budget(ProjectId project, String id) {
        return budgets.find(project, id).orElseThrow(() -> ApiException.notFound(WHAT, id));
    }

    /** The oldest budget of this sender (a user id) in this currency: where a sender's sends are paid from. */
    public Optional<Budget> senderBudget(ProjectId project, String senderId, String currency) {
        return budgets.findOwned(project, new Budget.Owner(Budget.Owner.SENDER, senderId), currency);
    }

    public List<Budget> budgets(
            ProjectId project,
            @Nullable String ownerType,
            @Nullable String ownerId,
            @Nullable String currency,
            Paging paging) {
        return budgets.list(project, new Budgets.Filter(ownerType, ownerId, currency), paging);
    }

    public long countBudgets(
            ProjectId project, @Nullable String ownerType, @Nullable String ownerId, @Nullable String currency) {
        return budgets.count(project, new Budgets.Filter(ownerType, ownerId, currency));
    }

    @Transactional
    public Budget create(ProjectId project, JsonNode body) {
        var now = clock.instant();
        var budget = read(body, null, now);
        budgets.insert(project, budget);
        events.publishEvent(new BudgetCreated(EventMeta.of(project, clock), budget));
        return budget;
    }

    /** Changes the name, caps, thresholds or metadata; the owner and currency are fixed. */
    @Transactional
    public Budget update(ProjectId project, String id, JsonNode body) {
        var existing = budget(project, id);
        var changed = read(body, existing, clock.instant());
        budgets.update(project, changed);
        var saved = budget(project, id);
        events.publishEvent(new BudgetUpdated(EventMeta.of(project, clock), saved));
        return saved;
    }

    /** Deletes a budget that never moved money; one with a ledger stays, for the record. */
    @Transactional
    public Budget delete(ProjectId project, String id) {
        var existing = budget(project, id);
        if (!budgets.deleteUnused(project, id)) {
            throw ApiException.conflict(
                    "budget_in_use", "The budget has ledger entries and stays for the record; top-ups can stop");
        }
        events.publishEvent(new BudgetDeleted(EventMeta.of(project, clock), existing));
        return existing;
    }

    /** Adds money from outside. */
    @Transactional
    public LedgerEntry topUp(ProjectId project, String id, long amount, @Nullable String memo) {
        if (amount <= 0) {
            throw RequestBodies.invalid("top-up", "amount", "must be more than 0");
        }
        var entry = post(project, id, LedgerEntry.TOP_UP, amount, memo);
        events.publishEvent(new BudgetToppedUp(EventMeta.of(project, clock), entry));
        return entry;
    }

    /**
     * Corrects the available money up or down, with a reason.
     *
     * @throws ApiException 409 {@code insufficient_funds} when less is available than a negative amount takes out
     */
    @Transactional
    public LedgerEntry adjust(ProjectId project, String id, long amount, String memo) {
        if (amount == 0) {
            throw RequestBodies.invalid("adjustment", "amount", "must not be 0");
        }
        var entry = post(project, id, LedgerEntry.ADJUSTMENT, amount, memo);
        events.publishEvent(new BudgetAdjusted(EventMeta.of(project, clock), entry));
        if (amount < 0) {
            noticeLowOrExhausted(project, id, entry.availableAfter(), clock.instant());
        }
        return entry;
    }

    private LedgerEntry post(ProjectId project, String id, String type, long amount, @Nullable String memo) {
        var budget = budget(project, id);
        return ledger.post(project, budget.id(), type, amount, memo, clock.instant())
                .orElseThrow(() -> new ApiException(
                        HttpStatus.CONFLICT,
                        "insufficient_funds",
                        "The budget has only " + budget.available() + " available",
                        Map.of("available", budget.available())));
    }

    /** What a hold attempt came to. */
    public enum HoldOutcome {
        /** The money is held for the reference. */
        HELD,
        /**
         * The budget has less available than the amount; nothing was written. A caller that keeps the send waiting
         * for funds says so with {@link #noticeShortfall}.
         */
        INSUFFICIENT_FUNDS
    }

    /**
     * Holds money for a send, inside the caller's transaction. Emits {@code budget.low} and {@code budget.exhausted}
     * when this hold crosses those lines.
     *
     * @param recipient counted toward the budget's per-recipient annual cap, when it has one
     * @throws ApiException 422 {@code recipient_cap_exceeded} when the hold would pass that cap; the caller's
     *     transaction must then roll back, since the hold itself was written
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public HoldOutcome hold(
            ProjectId project, Budget budget, String reference, long amount, @Nullable String recipient) {
        var now = clock.instant();
        var held = ledger.hold(project, budget.id(), reference, amount, recipient, now);
        if (held.isEmpty()) {
            return HoldOutcome.INSUFFICIENT_FUNDS;
        }
        if (budget.perRecipientAnnualCap() != null
                && recipient != null
                && !ledger.addRecipientSpend(budget.id(), recipient, amount, budget.perRecipientAnnualCap(), now)) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "recipient_cap_exceeded",
                    "The recipient would get more than the budget's annual cap of " + budget.perRecipientAnnualCap()
                            + " " + budget.currency() + " per recipient this year",
                    Map.of(
                            "per_recipient_annual_cap",
                            budget.perRecipientAnnualCap(),
                            "given_this_year",
                            ledger.recipientSpend(budget.id(), recipient, now)));
        }
        var after = held.get();
        long available = after.entry().availableAfter();
        boolean crossesLow =
                after.lowBalanceThreshold() != null && available < after.lowBalanceThreshold() && !after.lowNoticed();
        boolean empties = available == 0 && !after.exhaustedNoticed();
        if (crossesLow || empties) {
            noticeLowOrExhausted(project, budget.id(), available, now);
        }
        return HoldOutcome.HELD;
    }

    /** Records that a send could not be funded: the budget is exhausted, once until money comes back. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void noticeShortfall(ProjectId project, String budgetId) {
        if (ledger.noticeExhausted(project, budgetId, clock.instant()).isPresent()) {
            events.publishEvent(new BudgetExhausted(EventMeta.of(project, clock), budget(project, budgetId)));
        }
    }

    private void noticeLowOrExhausted(ProjectId project, String budgetId, long available, Instant now) {
        boolean low = ledger.noticeLow(project, budgetId, now).isPresent();
        boolean exhausted =
                available == 0 && ledger.noticeExhausted(project, budgetId, now).isPresent();
        if (low || exhausted) {
            var budget = budget(project, budgetId);
            if (low) {
                events.publishEvent(new BudgetLow(EventMeta.of(project, clock), budget));
            }
            if (exhausted) {
                events.publishEvent(new BudgetExhausted(EventMeta.of(project, clock), budget));
            }
        }
    }

    /** Spends a send's held money (held to spent); empty when it is not held (already settled, or never held). */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<LedgerEntry> capture(ProjectId project, String reference) {
        return ledger.settle(
                project,
                reference,
                "held",
                "captured",
                LedgerEntry.CAPTURE,
                Ledger.HELD,
                Ledger.SPENT,
                clock.instant());
    }

    /** Gives a send's held money back (held to available); empty when it is not held. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<LedgerEntry> release(ProjectId project, String reference) {
        return ledger.settle(
                project,
                reference,
                "held",
                "released",
                LedgerEntry.RELEASE,
                Ledger.HELD,
                Ledger.AVAILABLE,
                clock.instant());
    }

    /** Gives a send's spent money back (spent to available); empty when it was not captured. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<LedgerEntry> refund(ProjectId project, String reference) {
        return ledger.settle(
                project,
                reference,
                "captured",
                "refunded",
                LedgerEntry.REFUND,
                Ledger.SPENT,
                Ledger.AVAILABLE,
                clock.instant());
    }

    /** The ledger, newest first, optionally of one entry type. */
    public List<LedgerEntry> ledger(ProjectId project, String id, @Nullable String type, Paging paging) {
        return ledger.entries(project, budget(project, id).id(), entryType(type), paging);
    }

    public long countLedger(ProjectId project, String id, @Nullable String type) {
        return ledger.countEntries(project, budget(project, id).id(), entryType(type));
    }

    /** The entries a send caused, oldest first. */
    public List<LedgerEntry> entriesFor(ProjectId project, String reference) {
        return ledger.entriesFor(project, reference);
    }

    /**
     * Checks the ledger of every budget of the project (or of one): each balance must equal the sum of its entries,
     * held money the open holds, spent money the captured holds.
     */
    public Map<String, Object> checkInvariant(ProjectId project, @Nullable String id) {
        if (id != null) {
            budget(project, id);
        }
        var violations = ledger.violations(project, id);
        var result = new LinkedHashMap<String, Object>();
        result.put("object", "ledger_check");
        result.put("ok", violations.isEmpty());
        result.put("budgets_checked", ledger.countWallets(project, id));
        result.put("violations", violations);
        result.put("checked_at", clock.instant());
        return result;
    }

    private static @Nullable String entryType(@Nullable String type) {
        if (type != null && !ENTRY_TYPES.contains(type)) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_query_params",
                    "type must be one of "
                            + String.join(", ", ENTRY_TYPES.stream().sorted().toList()),
                    Map.of("type", "is not a ledger entry type"));
        }
        return type;
    }

    private Budget read(JsonNode body, @Nullable Budget existing, Instant now) {
        RequestBodies.expectFields(body, FIELDS, WHAT);
        var name = RequestBodies.text(body, "name", existing == null ? null : existing.name(), WHAT);
        if (name == null || name.isBlank() || name.length() > 200) {
            throw RequestBodies.invalid(WHAT, "name", "is required, up to 200 characters");
        }
        var owner = existing == null ? owner(body) : existing.owner();
        if (existing != null && body.has("owner") && !owner(body).equals(existing.owner())) {
            throw RequestBodies.invalid(WHAT, "owner", "cannot change; create another budget instead");
        }
        var currency = existing == null ? RequestBodies.currency(body, "currency", null, WHAT) : existing.currency();
        if (existing != null
                && body.has("currency")
                && !RequestBodies.currency(body, "currency", null, WHAT).equals(existing.currency())) {
            throw RequestBodies.invalid(WHAT, "currency", "cannot change; create another budget instead");
        }
        var cap = RequestBodies.amount(
                body, "per_recipient_annual_cap", existing == null ? null : existing.perRecipientAnnualCap(), WHAT);
        if (cap != null && cap == 0) {
            throw RequestBodies.invalid(WHAT, "per_recipient_annual_cap", "must be more than 0, or null for none");
        }
        var low = RequestBodies.amount(
                body, "low_balance_threshold", existing == null ? null : existing.lowBalanceThreshold(), WHAT);
        var approval = RequestBodies.amount(
                body, "approval_threshold", existing == null ? null : existing.approvalThreshold(), WHAT);
        Map<String, Object> metadata = existing == null ? Map.of() : existing.metadata();
        if (body.has("metadata") && !body.get("metadata").isNull()) {
            if (!body.get("metadata").isObject()) {
                throw RequestBodies.invalid(WHAT, "metadata", "must be an object");
            }
            metadata = json.convertValue(body.get("metadata"), new TypeReference<Map<String, Object>>() {});
        }
        return new Budget(
                existing == null ? Ids.generate("bud") : existing.id(),
                name.trim(),
                owner,
                currency,
                existing == null ? 0 : existing.available(),
                existing == null ? 0 : existing.held(),
                existing == null ? 0 : existing.spent(),
                cap,
                low,
                approval,
                metadata,
                existing == null ? now : existing.createdAt(),
                now);
    }

    private static Budget.Owner owner(JsonNode body) {
        var owner = body.get("owner");
        if (owner == null || !owner.isObject()) {
            throw RequestBodies.invalid(
                    WHAT, "owner", "is required: {\"type\": \"team\" | \"sender\" | \"campaign\", \"id\": \"…\"}");
        }
        var type = owner.path("type").asString("");
        var id = owner.path("id").asString("");
        if (!OWNER_TYPES.contains(type)) {
            throw RequestBodies.invalid(WHAT, "owner.type", "must be team, sender or campaign");
        }
        if (!owner.path("id").isString() || id.isBlank() || id.length() > 200) {
            throw RequestBodies.invalid(
                    WHAT, "owner.id", "is required: a team's name, a sender's user id or a campaign's id");
        }
        return new Budget.Owner(type, id.trim());
    }
}
