package io.bestow.gifts;

import io.bestow.budgets.BudgetManagement;
import io.bestow.identity.IdentityManagement;
import io.bestow.shared.DemoData;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Demo data of budgets and gifts: a team budget, a small customer-success budget with an approval threshold, the
 * admin's own sender budget, a catalog of e-gifts and physical items, and sends in several states (the sandbox
 * provider then walks the fresh ones on, a step a minute).
 */
@Component
class GiftsDemoData implements DemoData {

    private final BudgetManagement budgets;
    private final GiftManagement gifts;
    private final SendManagement sends;
    private final IdentityManagement identity;
    private final JsonMapper json;

    GiftsDemoData(
            BudgetManagement budgets,
            GiftManagement gifts,
            SendManagement sends,
            IdentityManagement identity,
            JsonMapper json) {
        this.budgets = budgets;
        this.gifts = gifts;
        this.sends = sends;
        this.identity = identity;
        this.json = json;
    }

    @Override
    public void seed(ProjectId project) {
        var emea = budget(project, """
                {"name": "Team EMEA", "owner": {"type": "team", "id": "emea"}, "currency": "USD",
                 "low_balance_threshold": 50000, "per_recipient_annual_cap": 20000}
                """, 250_000);
        var success = budget(project, """
                {"name": "Customer success", "owner": {"type": "team", "id": "customer-success"}, "currency": "USD",
                 "approval_threshold": 4000}
                """, 3000);
        var admin = identity.users(project, Paging.of(1, 1, null)).stream().findFirst();
        admin.ifPresent(
                user -> budget(project, """
                {"name": "%s's gifts", "owner": {"type": "sender", "id": "%s"}, "currency": "USD"}
                """.formatted(user.name() == null ? "Admin" : user.name(), user.id()), 50_000));

        var coffee = gift(project, """
                {"name": "Coffee e-gift", "type": "EGIFT", "face_value": 1000, "currency": "USD",
                 "description": "A coffee on us, redeemable at most coffee shops"}
                """);
        var card = gift(project, """
                {"name": "Gift card 50", "type": "EGIFT", "face_value": 5000, "currency": "USD",
                 "description": "A 50.00 gift card of the recipient's choice"}
                """);
        var hoodie = gift(project, """
                {"name": "Branded hoodie", "type": "PHYSICAL", "cost": 4500, "shipping_cost": 500, "currency": "USD",
                 "sku": "HD-1", "ships_to": ["US", "DE", "GB", "FR"], "description": "Soft, warm, with our logo"}
                """);
        var book = gift(project, """
                {"name": "Book of the month", "type": "PHYSICAL", "cost": 2500, "currency": "USD", "sku": "BK-11",
                 "ships_to": ["US", "DE", "GB", "FR", "ES", "IT", "NL"]}
                """);

        send(project, coffee, emea, "demo-0001", ", \"message\": \"Thanks for the great call!\"");
        send(project, hoodie, emea, "demo-0002", ", \"confirm_address\": true");
        var shipped = send(project, hoodie, emea, "demo-0003", "");
        sends.report(project, shipped.id(), SendStatus.PROCESSED, "provider:sandbox", "demo-processed", null);
        sends.report(project, shipped.id(), SendStatus.SHIPPED, "provider:sandbox", "demo-shipped", null);
        var cancelled = send(project, book, emea, "demo-0009", "");
        sends.cancel(project, cancelled.id(), "The recipient moved");
        send(project, card, success, "demo-0008", "");
        send(project, coffee, success, "demo-0016", "");
        send(project, book, success, "demo-0010", "");
    }

    private String budget(ProjectId project, String body, long topUp) {
        var budget = budgets.create(project, json.readTree(body));
        budgets.topUp(project, budget.id(), topUp, "Demo funds");
        return budget.id();
    }

    private String gift(ProjectId project, String body) {
        return gifts.create(project, json.readTree(body)).id();
    }

    private Send send(ProjectId project, String gift, String budget, String recipient, String more) {
        JsonNode body = json.readTree("""
                {"gift_id": "%s", "budget_id": "%s", "recipient": {"source_id": "%s"}%s}
                """.formatted(gift, budget, recipient, more));
        return sends.create(project, body);
    }
}
