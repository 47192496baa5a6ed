package io.bestow.gifts;

import io.bestow.connectors.ActionManagement;
import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.RecentCache;
import io.bestow.shared.RequestBodies;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The gift catalog: the gifts module's API for what can be sent. */
@Service
public class GiftManagement {

    private static final Set<String> FIELDS = Set.of(
            "name",
            "type",
            "cost",
            "shipping_cost",
            "currency",
            "face_value",
            "sku",
            "ships_to",
            "provider",
            "action_id",
            "provider_ref",
            "active",
            "image_url",
            "description",
            "metadata",
            "object");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final String WHAT = "gift";

    static final Duration REMEMBERED = Duration.ofSeconds(5);

    private final Gifts gifts;
    private final RecentCache<GiftKey, Gift> remembered;
    private final ActionManagement actions;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    GiftManagement(
            Gifts gifts, ActionManagement actions, ApplicationEventPublisher events, JsonMapper json, Clock clock) {
        this.gifts = gifts;
        this.actions = actions;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.remembered = new RecentCache<>(REMEMBERED, clock);
    }

    public Gift gift(ProjectId project, String id) {
        return gifts.find(project, id).orElseThrow(() -> ApiException.notFound(WHAT, id));
    }

    /**
     * A gift as sends read it: from this node's memory for up to {@link #REMEMBERED} (a change made on another node
     * reaches this one within that time).
     */
    Gift giftForSending(ProjectId project, String id) {
        return remembered
                .get(new GiftKey(project, id), key -> gifts.find(key.project(), key.id()))
                .orElseThrow(() -> ApiException.notFound(WHAT, id));
    }

    private record GiftKey(ProjectId project, String id) {}

    public List<Gift> gifts(ProjectId project, @Nullable String type, @Nullable Boolean active, Paging paging) {
        return gifts.list(project, type(type), active, paging);
    }

    public long countGifts(ProjectId project, @Nullable String type, @Nullable Boolean active) {
        return gifts.count(project, type(type), active);
    }

    @Transactional
    public Gift create(ProjectId project, JsonNode body) {
        var gift = read(project, body, null, clock.instant());
        gifts.insert(project, gift);
        events.publishEvent(new GiftCreated(EventMeta.of(project, clock), gift));
        return gift;
    }

    /** Changes the gift; sends already made keep the cost they were made with. */
    @Transactional
    public Gift update(ProjectId project, String id, JsonNode body) {
        var gift = read(project, body, gift(project, id), clock.instant());
        gifts.update(project, gift);
        remembered.forgetAfterCommit(new GiftKey(project, id));
        events.publishEvent(new GiftUpdated(EventMeta.of(project, clock), gift));
        return gift;
    }

    /** Removes a gift nobody was sent; one with sends can only be deactivated. */
    @Transactional
    public Gift delete(ProjectId project, String id) {
        var gift = gift(project, id);
        if (!gifts.deleteUnsent(project, id)) {
            throw ApiException.conflict(
                    "gift_in_use", "The gift has sends; set active to false to stop new ones instead");
        }
        remembered.forgetAfterCommit(new GiftKey(project, id));
        events.publishEvent(new GiftDeleted(EventMeta.of(project, clock), gift));
        return gift;
    }

    private static @Nullable String type(@Nullable String type) {
        if (type != null && !Set.of("EGIFT", "PHYSICAL").contains(type)) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_query_params",
                    "type must be EGIFT or PHYSICAL",
                    Map.of("type", "must be EGIFT or PHYSICAL"));
        }
        return type;
    }

    private Gift read(ProjectId project, JsonNode body, @Nullable Gift existing, Instant now) {
        RequestBodies.expectFields(body, FIELDS, WHAT);
        var name = RequestBodies.text(body, "name", existing == null ? null : existing.name(), WHAT);
        if (name == null || name.isBlank() || name.length() > 200) {
            throw RequestBodies.invalid(WHAT, "name", "is required, up to 200 characters");
        }
        var type = existing == null ? giftType(body) : existing.type();
        if (existing != null && body.has("type") && giftType(body) != existing.type()) {
            throw RequestBodies.invalid(WHAT, "type", "cannot change; add another gift instead");
        }
        var currency = RequestBodies.currency(body, "currency", existing == null ? null : existing.currency(), WHAT);
        var faceValue = RequestBodies.amount(body, "face_value", existing == null ? null : existing.faceValue(), WHAT);
        // An e-gift costs its face value unless it says otherwise.
        Long costBefore = existing != null ? Long.valueOf(existing.cost()) : type == Gift.Type.EGIFT ? faceValue : null;
        var cost = RequestBodies.amount(body, "cost", costBefore, WHAT);
        if (cost == null) {
            throw RequestBodies.invalid(
                    WHAT, "cost", "is required: what a send takes from a budget, in minor units (1000 is 10.00)");
        }
        var shipping = RequestBodies.amount(
                body, "shipping_cost", existing == null ? Long.valueOf(0) : existing.shippingCost(), WHAT);
        var sku = RequestBodies.text(body, "sku", existing == null ? null : existing.sku(), WHAT);
        var shipsTo = body.has("ships_to")
                ? countries(body.get("ships_to"))
                : existing == null ? List.<String>of() : existing.shipsTo();
        if (type == Gift.Type.PHYSICAL && shipsTo.isEmpty()) {
            throw RequestBodies.invalid(
                    WHAT,
                    "ships_to",
                    "is required for a physical gift: the countries it ships to, such as [\"US\", \"DE\"]");
        }
        if (type == Gift.Type.EGIFT && (shipping != null && shipping > 0 || !shipsTo.isEmpty())) {
            throw RequestBodies.invalid(WHAT, "shipping_cost", "and ships_to are for physical gifts only");
        }
        var provider =
                RequestBodies.text(body, "provider", existing == null ? Gift.SANDBOX : existing.provider(), WHAT);
        if (!Gift.SANDBOX.equals(provider) && !Gift.CONNECTOR.equals(provider)) {
            throw RequestBodies.invalid(WHAT, "provider", "must be sandbox or connector");
        }
        var actionId = RequestBodies.text(body, "action_id", existing == null ? null : existing.actionId(), WHAT);
        if (Gift.CONNECTOR.equals(provider)) {
            if (actionId == null) {
                throw RequestBodies.invalid(
                        WHAT,
                        "action_id",
                        "is required with the connector provider: the external action that sends it");
            }
            try {
                actionId = actions.action(project, actionId).id();
            } catch (ApiException e) {
                throw RequestBodies.invalid(WHAT, "action_id", "names no external action of this project");
            }
        } else {
            actionId = null;
        }
        var active = body.has("active") ? body.get("active") : null;
        if (active != null && !active.isBoolean()) {
            throw RequestBodies.invalid(WHAT, "active", "must be true or false");
        }
        var imageUrl = RequestBodies.text(body, "image_url", existing == null ? null : existing.imageUrl(), WHAT);
        if (imageUrl != null && !httpUrl(imageUrl)) {
            throw RequestBodies.invalid(WHAT, "image_url", "must be an absolute http or https URL");
        }
        Map<String, Object> metadata = existing == null ? Map.of() : existing.metadata();
        if (body.has("metadata") && !body.get("metadata").isNull()) {
            if (!body.get("metadata").isObject()) {
                throw RequestBodies.invalid(WHAT, "metadata", "must be an object");
            }
            metadata = json.convertValue(body.get("metadata"), new TypeReference<Map<String, Object>>() {});
        }
        return new Gift(
                existing == null ? Ids.generate("gift") : existing.id(),
                name.trim(),
                type,
                cost,
                shipping == null ? 0 : shipping,
                currency,
                faceValue,
                sku,
                shipsTo,
                provider,
                actionId,
                RequestBodies.text(body, "provider_ref", existing == null ? null : existing.providerRef(), WHAT),
                active == null ? existing == null || existing.active() : active.asBoolean(),
                imageUrl,
                RequestBodies.text(body, "description", existing == null ? null : existing.description(), WHAT),
                metadata,
                existing == null ? now : existing.createdAt(),
                now);
    }

    private static Gift.Type giftType(JsonNode body) {
        var type = RequestBodies.text(body, "type", null, WHAT);
        if (type == null || !Set.of("EGIFT", "PHYSICAL").contains(type)) {
            throw RequestBodies.invalid(WHAT, "type", "is required: EGIFT or PHYSICAL");
        }
        return Gift.Type.valueOf(type);
    }

    private static List<String> countries(JsonNode node) {
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw RequestBodies.invalid(WHAT, "ships_to", "must be a list of ISO 3166 country codes such as [\"US\"]");
        }
        var countries = new ArrayList<String>();
        for (var country : node) {
            var code = country.isString() ? country.asString().trim().toUpperCase(Locale.ROOT) : "";
            if (!COUNTRIES.contains(code)) {
                throw RequestBodies.invalid(
                        WHAT, "ships_to", "holds " + country + ", which is not an ISO 3166 country code");
            }
            if (!countries.contains(code)) {
                countries.add(code);
            }
        }
        return List.copyOf(countries);
    }

    private static boolean httpUrl(String value) {
        try {
            var uri = URI.create(value);
            return uri.isAbsolute()
                    && uri.getHost() != null
                    && Set.of("http", "https").contains(uri.getScheme());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
