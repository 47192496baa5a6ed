package io.bestow.giftlinks;

import io.bestow.customers.Customer;
import io.bestow.customers.CustomerManagement;
import io.bestow.gifts.Gift;
import io.bestow.gifts.GiftManagement;
import io.bestow.gifts.Send;
import io.bestow.gifts.SendManagement;
import io.bestow.gifts.SendStatusChanged;
import io.bestow.messaging.Mail;
import io.bestow.messaging.MailManagement;
import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.ProjectId;
import io.bestow.shared.TokenBucket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.util.HtmlUtils;

/**
 * A recipient claiming a gift link: the claim pages' API. The recipient enters an e-mail; when it belongs to a
 * customer of the project with the fields the gift needs, a 6-digit code goes to it (10 minutes, 5 wrong tries lock
 * the claim for 15 minutes); the page answers the same way either way. The right code claims: once per recipient per
 * campaign (a unique constraint), within the link's limits, from the link's budget: an e-gift is claimed at once, a
 * physical gift waits for the address, and a short budget leaves the send waiting for an admin's approval.
 */
@Service
public class ClaimingGiftLink {

    static final Duration CODE_VALID = Duration.ofMinutes(10);
    static final Duration LOCK = Duration.ofMinutes(15);
    static final int MAX_WRONG = 5;
    /** Code requests per minute per address (IP) and per link, per node. */
    static final int PER_IP = 10;

    static final int PER_LINK = 120;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final GiftLinks links;
    private final GiftManagement gifts;
    private final SendManagement sends;
    private final CustomerManagement customers;
    private final MailManagement mail;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final ConcurrentMap<String, TokenBucket> throttles = new ConcurrentHashMap<>();

    ClaimingGiftLink(
            GiftLinks links,
            GiftManagement gifts,
            SendManagement sends,
            CustomerManagement customers,
            MailManagement mail,
            ApplicationEventPublisher events,
            TransactionTemplate transaction,
            Clock clock) {
        this.links = links;
        this.gifts = gifts;
        this.sends = sends;
        this.customers = customers;
        this.mail = mail;
        this.events = events;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** What the link's page shows: the gift, and why the link takes no claims when it does not. */
    public record Opened(
            String giftName,
            String giftType,
            @Nullable String description,
            @Nullable String imageUrl,
            @Nullable String message,
            @Nullable String closedBecause) {}

    /** The link a token opens, if any. */
    public Optional<Opened> open(String token) {
        return links.findByToken(GiftLinkManagement.hash(token)).map(found -> {
            var link = found.getValue();
            var gift = gifts.gift(found.getKey(), link.giftId());
            return new Opened(
                    gift.name(),
                    gift.type().name(),
                    gift.description(),
                    gift.imageUrl(),
                    link.message(),
                    link.closedBecause(clock.instant()));
        });
    }

    /** Why a page cannot go on. */
    public static final class Refused extends RuntimeException {
        private final String reason;

        Refused(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }

        /** {@code not_found}, {@code revoked}, {@code expired}, {@code used_up} or {@code slow_down}. */
        public String reason() {
            return reason;
        }
    }

    /**
     * Sends a one-time code to the address if it belongs to a recipient who may claim; answers the verification's id
     * in every case, so that the page cannot tell.
     */
    public String requestCode(String token, String email, @Nullable String ip) {
        var found = links.findByToken(GiftLinkManagement.hash(token)).orElseThrow(() -> new Refused("not_found"));
        var project = found.getKey();
        var link = found.getValue();
        var closed = link.closedBecause(clock.instant());
        if (closed != null) {
            throw new Refused(closed);
        }
        throttle("ip:" + ip, PER_IP);
        throttle("link:" + link.id(), PER_LINK);
        var address = email.trim();
        var code = "%06d".formatted(RANDOM.nextInt(1_000_000));
        var id = Ids.generate("ver");
        var now = clock.instant();
        var customer = address.contains("@") && address.length() <= 320
                ? customers.findByEmail(project, address)
                : Optional.<Customer>empty();
        var gift = gifts.gift(project, link.giftId());
        // A recipient who already claimed in the campaign gets a code too: the page after it says so.
        String notSent = customer.isEmpty() ? "unknown_email" : missingFields(gift, customer.get());
        var verification = new Verification(
                id,
                link.id(),
                address,
                customer.map(Customer::id).orElse(null),
                codeHash(id, code),
                now.plus(CODE_VALID),
                0,
                null,
                notSent == null ? "code_sent" : "not_sent",
                notSent,
                null,
                now);
        var reason = notSent;
        transaction.executeWithoutResult(tx -> {
            links.insertVerification(project, verification, ip);
            if (reason == null) {
                var recipient = customer.get();
                mail.send(project, codeMail(recipient, gift, code, id));
                customers.recordActivity(
                        project,
                        recipient,
                        "gift_link",
                        "gift_link.code_sent",
                        Map.of("gift_link_id", link.id(), "campaign", link.campaign()));
            }
        });
        return id;
    }

    /** What entering a code (or an address) came to. */
    public record Outcome(
            Kind kind,
            @Nullable String sendId,
            @Nullable String giftCode,
            @Nullable Map<String, Object> address,
            int triesLeft) {

        /** The page to show next. */
        public enum Kind {
            WRONG_CODE,
            LOCKED,
            CODE_EXPIRED,
            ALREADY_CLAIMED,
            CLAIMED,
            PENDING,
            ADDRESS_NEEDED,
            ADDRESS_CONFIRMED,
            CANNOT_CLAIM
        }

        static Outcome of(Kind kind) {
            return new Outcome(kind, null, null, null, 0);
        }
    }

    /** Checks the code and, when it is right, claims the gift. */
    public Outcome verify(String token, String verificationId, String code, @Nullable String ip) {
        var found = links.findByToken(GiftLinkManagement.hash(token)).orElseThrow(() -> new Refused("not_found"));
        throttle("verify:" + ip, PER_IP * 3);
        var project = found.getKey();
        var link = found.getValue();
        try {
            return Objects.requireNonNull(
                    transaction.execute(tx -> verifyAndClaim(project, link, verificationId, code.trim())));
        } catch (AlreadyClaimed e) {
            transaction.executeWithoutResult(tx -> links.lockVerification(project, link.id(), verificationId)
                    .ifPresent(v -> links.updateVerification(
                            project,
                            v.with(v.failedAttempts(), null, "failed", "already_claimed", null),
                            clock.instant())));
            return Outcome.of(Outcome.Kind.ALREADY_CLAIMED);
        }
    }

    /** Thrown to roll a claim back when the same recipient claimed in the campaign at the same moment. */
    private static final class AlreadyClaimed extends RuntimeException {
        AlreadyClaimed() {
            super(null, null, false, false);
        }
    }

    private Outcome verifyAndClaim(ProjectId project, GiftLink opened, String verificationId, String code) {
        var now = clock.instant();
        var verification =
                links.lockVerification(project, opened.id(), verificationId).orElse(null);
        if (verification == null) {
            return new Outcome(Outcome.Kind.WRONG_CODE, null, null, null, MAX_WRONG);
        }
        if (verification.lockedUntil() != null && verification.lockedUntil().isAfter(now)) {
            return Outcome.of(Outcome.Kind.LOCKED);
        }
        if (!"code_sent".equals(verification.status())) {
            return switch (verification.status()) {
                case "claimed" -> Outcome.of(Outcome.Kind.ALREADY_CLAIMED);
                case "not_sent" -> wrong(project, verification, now);
                default -> Outcome.of(Outcome.Kind.CANNOT_CLAIM);
            };
        }
        if (!MessageDigest.isEqual(
                verification.codeHash().getBytes(StandardCharsets.US_ASCII),
                codeHash(verification.id(), code).getBytes(StandardCharsets.US_ASCII))) {
            return wrong(project, verification, now);
        }
        if (!verification.codeExpiresAt().isAfter(now)) {
            return Outcome.of(Outcome.Kind.CODE_EXPIRED);
        }
        var link = links.lock(project, opened.id());
        var recipient = customers.customer(project, Objects.requireNonNull(verification.customerId()));
        var closed = link.closedBecause(now);
        if (closed != null) {
            links.updateVerification(project, verification.with(0, null, "failed", "link_" + closed, null), now);
            return Outcome.of(Outcome.Kind.CANNOT_CLAIM);
        }
        if (links.claimed(project, link.campaign(), recipient.id())) {
            links.updateVerification(project, verification.with(0, null, "failed", "already_claimed", null), now);
            return Outcome.of(Outcome.Kind.ALREADY_CLAIMED);
        }
        Send send;
        try {
            send = sends.sendClicked(
                    project,
                    recipient,
                    new SendManagement.LinkedSend(
                            link.giftId(),
                            link.budgetId(),
                            link.senderId(),
                            link.campaign(),
                            link.message(),
                            link.id(),
                            Duration.ofDays(link.holdDays())));
        } catch (ApiException e) {
            links.updateVerification(project, verification.with(0, null, "failed", e.key(), null), now);
            return Outcome.of(Outcome.Kind.CANNOT_CLAIM);
        }
        if (!links.claim(project, link, recipient.id(), verification.id(), send.id(), now)) {
            throw new AlreadyClaimed();
        }
        Outcome outcome;
        if (send.status().pending()) {
            outcome = new Outcome(Outcome.Kind.PENDING, send.id(), null, null, 0);
        } else if (send.giftType() == Gift.Type.EGIFT) {
            var claimed = sends.claim(project, send.id());
            mail.send(project, giftMail(recipient, gifts.gift(project, send.giftId()), claimed, link));
            outcome = new Outcome(Outcome.Kind.CLAIMED, send.id(), claimed.providerReference(), null, 0);
        } else {
            outcome = new Outcome(Outcome.Kind.ADDRESS_NEEDED, send.id(), null, send.address(), 0);
        }
        links.updateVerification(
                project,
                verification.with(0, null, outcome.kind().name().toLowerCase(Locale.ROOT), null, send.id()),
                now);
        events.publishEvent(new GiftLinkClaimed(
                EventMeta.of(project, clock),
                link,
                recipient.id(),
                send.id(),
                send.status().value()));
        return outcome;
    }

    private Outcome wrong(ProjectId project, Verification verification, Instant now) {
        int attempts = verification.failedAttempts() + 1;
        if (attempts >= MAX_WRONG) {
            links.updateVerification(
                    project, verification.with(0, now.plus(LOCK), verification.status(), "locked", null), now);
            if (verification.customerId() != null) {
                customers
                        .findCustomer(project, verification.customerId())
                        .ifPresent(customer -> customers.recordActivity(
                                project,
                                customer,
                                "gift_link",
                                "gift_link.locked",
                                Map.of(
                                        "gift_link_id",
                                        verification.linkId(),
                                        "locked_until",
                                        now.plus(LOCK).toString())));
            }
            return Outcome.of(Outcome.Kind.LOCKED);
        }
        links.updateVerification(
                project, verification.with(attempts, null, verification.status(), "wrong_code", null), now);
        return new Outcome(Outcome.Kind.WRONG_CODE, null, null, null, MAX_WRONG - attempts);
    }

    /** The address the form shows: the one the send has from the customer's record. */
    public Optional<Map<String, Object>> address(String token, String verificationId) {
        var found = links.findByToken(GiftLinkManagement.hash(token)).orElseThrow(() -> new Refused("not_found"));
        return links.findVerification(found.getKey(), found.getValue().id(), verificationId)
                .filter(v -> "address_needed".equals(v.status()) && v.sendId() != null)
                .map(v -> {
                    var address = sends.send(found.getKey(), Objects.requireNonNull(v.sendId()))
                            .address();
                    return address == null ? Map.<String, Object>of() : address;
                });
    }

    /** Confirms where the physical gift goes; its money is captured and it goes on to the provider. */
    public Outcome confirmAddress(String token, String verificationId, Map<String, String> fields) {
        var found = links.findByToken(GiftLinkManagement.hash(token)).orElseThrow(() -> new Refused("not_found"));
        var project = found.getKey();
        return Objects.requireNonNull(transaction.execute(tx -> {
            var verification = links.lockVerification(project, found.getValue().id(), verificationId)
                    .filter(v -> "address_needed".equals(v.status()) && v.sendId() != null)
                    .orElse(null);
            if (verification == null) {
                return Outcome.of(Outcome.Kind.CANNOT_CLAIM);
            }
            var address = new LinkedHashMap<String, Object>();
            fields.forEach((key, value) -> {
                if (!value.isBlank()) {
                    address.put(key, key.equals("country") ? value.trim().toUpperCase(Locale.ROOT) : value.trim());
                }
            });
            var gift = gifts.gift(project, found.getValue().giftId());
            var country = (String) address.get("country");
            if (country == null || !gift.shipsTo(country) || !address.containsKey("line_1")) {
                return new Outcome(Outcome.Kind.ADDRESS_NEEDED, verification.sendId(), null, address, 0);
            }
            var send = sends.confirmAddress(project, Objects.requireNonNull(verification.sendId()), address);
            links.updateVerification(
                    project, verification.with(0, null, "address_confirmed", null, send.id()), clock.instant());
            return new Outcome(Outcome.Kind.ADDRESS_CONFIRMED, send.id(), null, send.address(), 0);
        }));
    }

    /** A send of a gift link that waited for funds and was approved reaches its recipient. */
    @ApplicationModuleListener(
            condition = "#a0.send().origin() == 'gift_link' && #a0.send().status().value() == 'approved'")
    void on(SendStatusChanged approved) {
        var project = approved.meta().projectId();
        var send = approved.send();
        var recipient = customers.findCustomer(project, send.customerId()).orElse(null);
        if (recipient == null) {
            return;
        }
        var gift = gifts.gift(project, send.giftId());
        var linkId = String.valueOf(send.metadata().get("gift_link_id"));
        var link = links.find(project, linkId).orElse(null);
        if (link == null) {
            return;
        }
        if (send.giftType() == Gift.Type.EGIFT) {
            var claimed = sends.claim(project, send.id());
            mail.send(project, giftMail(recipient, gift, claimed, link));
        } else {
            mail.send(
                    project,
                    new Mail.Draft(
                            Objects.requireNonNull(recipient.email()),
                            "Your gift is on its way: " + gift.name(),
                            "Your " + gift.name() + " was approved. We will ship it to the address we have for you.",
                            null,
                            "gift_link.approved",
                            send.id()));
        }
    }

    private @Nullable String missingFields(Gift gift, Customer customer) {
        try {
            SendManagement.checkRecipient(gift, customer);
            return null;
        } catch (ApiException e) {
            return e.key();
        }
    }

    private void throttle(String key, int perMinute) {
        var bucket = throttles.computeIfAbsent(key, k -> new TokenBucket(perMinute, clock.millis()));
        if (bucket.take(perMinute / 60.0, perMinute, clock.millis()) > 0) {
            throw new Refused("slow_down");
        }
    }

    private static String codeHash(String verificationId, String code) {
        return GiftLinkManagement.hash(verificationId + ":" + code);
    }

    private Mail.Draft codeMail(Customer recipient, Gift gift, String code, String verificationId) {
        var name = recipient.firstName() == null ? "" : " " + recipient.firstName();
        return new Mail.Draft(
                Objects.requireNonNull(recipient.email()),
                "Your code to claim " + gift.name() + ": " + code,
                "Hello" + name + ",\n\nYour code to claim " + gift.name() + " is " + code
                        + ". It is valid for 10 minutes.\n\nIf you did not ask for it, ignore this e-mail.\n",
                "<p>Hello" + HtmlUtils.htmlEscape(name) + ",</p><p>Your code to claim "
                        + HtmlUtils.htmlEscape(gift.name())
                        + " is</p><p style=\"font-size:28px;letter-spacing:4px\"><b>"
                        + code + "</b></p><p>It is valid for 10 minutes. If you did not ask for it, ignore this"
                        + " e-mail.</p>",
                "gift_link.code",
                verificationId);
    }

    private Mail.Draft giftMail(Customer recipient, Gift gift, Send send, GiftLink link) {
        var code =
                send.providerReference() == null ? "(on its way from our gifting partner)" : send.providerReference();
        return new Mail.Draft(
                Objects.requireNonNull(recipient.email()),
                "Your gift: " + gift.name(),
                "Here is your " + gift.name() + ".\n\nGift code: " + code + "\n"
                        + (link.message() == null ? "" : "\n" + link.message() + "\n"),
                "<p>Here is your " + HtmlUtils.htmlEscape(gift.name()) + ".</p><p>Gift code: <b>"
                        + HtmlUtils.htmlEscape(code) + "</b></p>"
                        + (link.message() == null ? "" : "<p>" + HtmlUtils.htmlEscape(link.message()) + "</p>"),
                "gift_link.gift",
                send.id());
    }
}
