package io.bestow.giftlinks;

import io.bestow.budgets.BudgetManagement;
import io.bestow.gifts.GiftManagement;
import io.bestow.gifts.SendManagement;
import io.bestow.identity.IdentityManagement;
import io.bestow.shared.Actor;
import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Hashes;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.PublicUrl;
import io.bestow.shared.RequestBodies;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** Gift links as admins make and manage them: the gift links module's API. */
@Service
public class GiftLinkManagement {

    private static final Set<String> FIELDS = Set.of(
            "campaign",
            "gift_id",
            "budget_id",
            "sender_id",
            "message",
            "multi_use",
            "max_claims",
            "expires_in_days",
            "hold_days",
            "object");
    private static final String WHAT = "gift link";
    private static final int DEFAULT_HOLD_DAYS = 14;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final GiftLinks links;
    private final GiftManagement gifts;
    private final BudgetManagement budgets;
    private final SendManagement sends;
    private final IdentityManagement identity;
    private final PublicUrl publicUrl;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    GiftLinkManagement(
            GiftLinks links,
            GiftManagement gifts,
            BudgetManagement budgets,
            SendManagement sends,
            IdentityManagement identity,
            PublicUrl publicUrl,
            ApplicationEventPublisher events,
            Clock clock) {
        this.links = links;
        this.gifts = gifts;
        this.budgets = budgets;
        this.sends = sends;
        this.identity = identity;
        this.publicUrl = publicUrl;
        this.events = events;
        this.clock = clock;
    }

    /** A new link and its URL, which carries the token and is shown only now. */
    public record Created(GiftLink link, String url) {}

    /**
     * Makes a link to a gift, paid from a budget (the sender's own by default): single-use, or multi-use with an
     * optional cap on claims; a claim's hold is kept {@code hold_days} (14) for the recipient to claim.
     */
    @Transactional
    public Created create(ProjectId project, JsonNode body) {
        RequestBodies.expectFields(body, FIELDS, WHAT);
        var campaign = RequestBodies.text(body, "campaign", null, WHAT);
        if (campaign == null || campaign.isBlank() || campaign.length() > 200) {
            throw RequestBodies.invalid(WHAT, "campaign", "is required: the campaign a recipient claims once in");
        }
        var giftId = RequestBodies.text(body, "gift_id", null, WHAT);
        if (giftId == null) {
            throw RequestBodies.invalid(WHAT, "gift_id", "is required");
        }
        var gift = gifts.gift(project, giftId);
        if (!gift.active()) {
            throw RequestBodies.invalid(WHAT, "gift_id", "names a gift that is not active");
        }
        var senderId = RequestBodies.text(body, "sender_id", null, WHAT);
        if (senderId != null) {
            senderId = identity.user(project, senderId).id();
        }
        var budgetId = RequestBodies.text(body, "budget_id", null, WHAT);
        var budget = budgetId != null
                ? budgets.budget(project, budgetId)
                : senderId == null
                        ? null
                        : budgets.senderBudget(project, senderId, gift.currency())
                                .orElse(null);
        if (budget == null) {
            throw RequestBodies.invalid(
                    WHAT, "budget_id", "is required unless the sender_id has a " + gift.currency() + " budget");
        }
        if (!budget.currency().equals(gift.currency())) {
            throw RequestBodies.invalid(
                    WHAT, "budget_id", "holds " + budget.currency() + " but the gift costs " + gift.currency());
        }
        var multiUse = body.path("multi_use").asBoolean(false);
        if (body.has("multi_use") && !body.get("multi_use").isBoolean()) {
            throw RequestBodies.invalid(WHAT, "multi_use", "must be true or false");
        }
        var maxClaims = wholeNumber(body, "max_claims", 1, 1_000_000);
        if (maxClaims != null && !multiUse) {
            throw RequestBodies.invalid(WHAT, "max_claims", "is for multi-use links only");
        }
        var expiresIn = wholeNumber(body, "expires_in_days", 1, 365);
        var holdDays = wholeNumber(body, "hold_days", 1, 365);
        var message = RequestBodies.text(body, "message", null, WHAT);
        if (message != null && message.length() > 2000) {
            throw RequestBodies.invalid(WHAT, "message", "must be at most 2000 characters");
        }
        var now = clock.instant();
        var token = newToken();
        var link = new GiftLink(
                Ids.generate("gl"),
                campaign.trim(),
                gift.id(),
                budget.id(),
                senderId,
                message,
                multiUse,
                maxClaims,
                0,
                holdDays == null ? DEFAULT_HOLD_DAYS : holdDays,
                expiresIn == null ? null : now.plus(Duration.ofDays(expiresIn)),
                null,
                Actor.currentLabel(),
                now,
                now);
        links.insert(project, link, hash(token));
        events.publishEvent(new GiftLinkCreated(EventMeta.of(project, clock), link));
        return new Created(link, publicUrl.of("/claim/" + token));
    }

    public GiftLink link(ProjectId project, String id) {
        return links.find(project, id).orElseThrow(() -> ApiException.notFound(WHAT, id));
    }

    /** The link with what its claims hold and spent now. */
    public Map<String, Object> details(ProjectId project, String id) {
        var link = link(project, id);
        var money = sends.moneyOf(project, links.sendIds(project, link.id()));
        var details = new LinkedHashMap<String, Object>();
        details.put("link", link);
        details.put("held", money.getOrDefault("held", 0L));
        details.put("spent", money.getOrDefault("captured", 0L));
        details.put("pending_sends", money.getOrDefault("none", 0L));
        details.put(
                "status", link.closedBecause(clock.instant()) == null ? "open" : link.closedBecause(clock.instant()));
        return details;
    }

    public List<GiftLink> links(ProjectId project, Paging paging) {
        return links.list(project, paging);
    }

    public long countLinks(ProjectId project) {
        return links.count(project);
    }

    /** Stops the link taking claims; claims made stay. */
    @Transactional
    public GiftLink revoke(ProjectId project, String id) {
        link(project, id);
        links.revoke(project, id, clock.instant());
        var revoked = link(project, id);
        events.publishEvent(new GiftLinkRevoked(EventMeta.of(project, clock), revoked));
        return revoked;
    }

    /** Who tried the link and how it went, newest first: for admins, with the reasons the page does not show. */
    public List<Map<String, Object>> attempts(ProjectId project, String id, Paging paging) {
        return links.attempts(project, link(project, id).id(), paging);
    }

    public long countAttempts(ProjectId project, String id) {
        return links.countAttempts(project, link(project, id).id());
    }

    private static @Nullable Integer wholeNumber(JsonNode body, String field, int min, int max) {
        var value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            throw RequestBodies.invalid(WHAT, field, "must be a whole number from " + min + " to " + max);
        }
        return value.asInt();
    }

    /** 256 random bits, URL-safe. */
    private static String newToken() {
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** How tokens (and one-time codes) are stored: SHA-256, hex. */
    static String hash(String value) {
        return Hashes.sha256Hex(value);
    }
}
