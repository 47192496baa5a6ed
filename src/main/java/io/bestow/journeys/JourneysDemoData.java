package io.bestow.journeys;

import io.bestow.budgets.BudgetManagement;
import io.bestow.connectors.ActionManagement;
import io.bestow.connectors.ConnectorManagement;
import io.bestow.customers.CustomerManagement;
import io.bestow.gifts.GiftManagement;
import io.bestow.shared.DemoData;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.PublicUrl;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Demo programs: the onboarding gift of the seed (on {@code signed_up}: send a coffee e-gift from Team EMEA, then a
 * task to check in within 14 days), and a milestone program that calls a Sendoso-style external action (a stub served
 * with the demo) when a customer sends their first 100 e-mails.
 */
@Component
class JourneysDemoData implements DemoData {

    private final ProgramManagement programs;
    private final ConnectorManagement connectors;
    private final ActionManagement actions;
    private final GiftManagement gifts;
    private final BudgetManagement budgets;
    private final CustomerManagement customers;
    private final PublicUrl publicUrl;
    private final JsonMapper json;

    JourneysDemoData(
            ProgramManagement programs,
            ConnectorManagement connectors,
            ActionManagement actions,
            GiftManagement gifts,
            BudgetManagement budgets,
            CustomerManagement customers,
            PublicUrl publicUrl,
            JsonMapper json) {
        this.programs = programs;
        this.connectors = connectors;
        this.actions = actions;
        this.gifts = gifts;
        this.budgets = budgets;
        this.customers = customers;
        this.publicUrl = publicUrl;
        this.json = json;
    }

    @Override
    public void seed(ProjectId project) {
        var all = Paging.of(100, 1, null);
        var coffee = gifts.gifts(project, "EGIFT", true, all).stream()
                .filter(gift -> gift.name().equals("Coffee e-gift"))
                .findFirst();
        var emea = budgets.budgets(project, "team", "emea", null, all).stream().findFirst();
        if (coffee.isPresent() && emea.isPresent()) {
            var onboarding = programs.create(project, json.readTree("""
                    {"name": "Onboarding gift",
                     "description": "Welcome every new customer with a coffee, and remind the account owner to check in.",
                     "trigger": {"type": "event", "event": "signed_up"},
                     "steps": [
                       {"id": "welcome", "type": "wait", "duration": "0s"},
                       {"id": "gift", "type": "send_gift", "gift_id": "%s", "budget_id": "%s",
                        "message": "Welcome aboard, {{ customer.name }}!"},
                       {"id": "check_in", "type": "create_task", "title": "Check in with {{ customer.name }}",
                        "due_in_days": 14, "assignee": "customer-success"}]}
                    """.formatted(
                            coffee.get().id(), emea.get().id())));
            programs.publish(project, onboarding.id());
        }

        customers.declareMilestone(
                project,
                "first_100_emails_sent",
                "first_100_emails_sent",
                "The customer sent their first 100 e-mails with the product");
        var sendoso = connectors.create(project, json.readTree("""
                {"name": "Sendoso (demo stub)", "base_url": "%s", "auth": {"type": "api_key", "name": "X-Api-Key",
                 "value": "demo-key-not-a-secret"}}
                """.formatted(publicUrl.of("/demo/sendoso"))));
        var action = actions.create(project, json.readTree("""
                {"name": "Send touch", "connector_id": "%s", "method": "POST", "url": "/api/v3/send",
                 "body": {"send": {"touch_id": "{{ touch_id }}", "email": "{{ customer.email }}",
                          "name": "{{ customer.name }}"}},
                 "outputs": {"send_id": "/id"}}
                """.formatted(sendoso.id())));
        var milestone = programs.create(project, json.readTree("""
                {"name": "Milestone: 100 e-mails",
                 "description": "Celebrate a customer's first 100 e-mails with a Sendoso touch.",
                 "trigger": {"type": "milestone", "milestone": "first_100_emails_sent"},
                 "steps": [
                   {"id": "touch", "type": "call_api", "action_id": "%s", "mapping": {"touch_id": "123"},
                    "on_failure": "continue"},
                   {"id": "sent", "type": "branch", "if": "previous_succeeded", "then": "note", "else": "end"},
                   {"id": "note", "type": "update_customer", "metadata": {"milestone_touch": "{{ steps.touch.outputs.send_id }}"},
                    "next": "end"},
                   {"id": "end", "type": "end"}]}
                """.formatted(action.id())));
        programs.publish(project, milestone.id());
    }
}
