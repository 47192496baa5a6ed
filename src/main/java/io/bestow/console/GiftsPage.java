package io.bestow.console;

import io.bestow.budgets.Budget;
import io.bestow.budgets.BudgetManagement;
import io.bestow.gifts.GiftManagement;
import io.bestow.gifts.Send;
import io.bestow.gifts.SendManagement;
import io.bestow.gifts.SendQuery;
import io.bestow.messaging.MailManagement;
import io.bestow.shared.Actor;
import io.bestow.shared.ApiException;
import io.bestow.shared.Paging;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Budgets and sends in the console: balances, the sends waiting for funds or approval, the latest sends; admins top
 * up budgets and approve or cancel pending sends here.
 */
@Controller
class GiftsPage {

    private static final int SHOWN = 50;

    private final BudgetManagement budgets;
    private final SendManagement sends;
    private final GiftManagement gifts;
    private final MailManagement mails;

    GiftsPage(BudgetManagement budgets, SendManagement sends, GiftManagement gifts, MailManagement mails) {
        this.budgets = budgets;
        this.sends = sends;
        this.gifts = gifts;
        this.mails = mails;
    }

    /** The e-mail outbox, for admins: one-time codes and gift e-mails, sent or (without SMTP) stored. */
    @GetMapping("/outbox")
    @PreAuthorize("hasRole('ADMIN')")
    String outbox(Actor actor, Model model) {
        model.addAttribute(
                "mails",
                mails.mails(actor.projectId(), null, null, Paging.of(SHOWN, 1, null)).stream()
                        .limit(SHOWN)
                        .toList());
        return "console/outbox";
    }

    /** A budget as the page shows it: amounts in major units of its currency. */
    record BudgetRow(Budget budget, String available, String held, String spent) {}

    /** A send as the page shows it. */
    record SendRow(Send send, String cost) {}

    @GetMapping("/gifts")
    String show(Actor actor, Model model) {
        var project = actor.projectId();
        var all = Paging.of(SHOWN, 1, null);
        model.addAttribute("admin", actor.admin());
        model.addAttribute(
                "budgets",
                budgets.budgets(project, null, null, null, all).stream()
                        .limit(SHOWN)
                        .map(b -> new BudgetRow(
                                b,
                                money(b.available(), b.currency()),
                                money(b.held(), b.currency()),
                                money(b.spent(), b.currency())))
                        .toList());
        var pending = new ArrayList<SendRow>();
        for (var status : List.of("pending_funds", "pending_approval")) {
            sends.sends(project, SendQuery.withStatus(status), all).stream()
                    .limit(SHOWN)
                    .forEach(s -> pending.add(row(s)));
        }
        model.addAttribute("pending", pending);
        model.addAttribute(
                "latest",
                sends.sends(project, SendQuery.withStatus(null), Paging.of(20, 1, null)).stream()
                        .limit(20)
                        .map(GiftsPage::row)
                        .toList());
        model.addAttribute(
                "catalog",
                gifts.gifts(project, null, null, all).stream().limit(SHOWN).toList());
        return "console/gifts";
    }

    @PostMapping("/gifts/budgets/{id}/top-ups")
    @PreAuthorize("hasRole('ADMIN')")
    String topUp(Actor actor, @PathVariable String id, @RequestParam String amount, RedirectAttributes redirect) {
        var budget = budgets.budget(actor.projectId(), id);
        try {
            var minor = new BigDecimal(amount.trim())
                    .setScale(
                            Currency.getInstance(budget.currency()).getDefaultFractionDigits(),
                            RoundingMode.UNNECESSARY)
                    .unscaledValue()
                    .longValueExact();
            budgets.topUp(actor.projectId(), id, minor, "Console top-up");
            redirect.addFlashAttribute(
                    "notice", "Added " + amount.trim() + " " + budget.currency() + " to " + budget.name() + ".");
        } catch (NumberFormatException | ArithmeticException e) {
            redirect.addFlashAttribute("problem", "Enter an amount such as 250.00.");
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/gifts";
    }

    @PostMapping("/gifts/sends/{id}/approve")
    @PreAuthorize("hasRole('ADMIN')")
    String approve(Actor actor, @PathVariable String id, RedirectAttributes redirect) {
        try {
            sends.approve(actor.projectId(), id);
            redirect.addFlashAttribute("notice", "Approved " + id + ".");
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/gifts";
    }

    @PostMapping("/gifts/sends/{id}/cancel")
    @PreAuthorize("hasRole('ADMIN')")
    String cancel(Actor actor, @PathVariable String id, RedirectAttributes redirect) {
        try {
            sends.cancel(actor.projectId(), id, "Cancelled in the console");
            redirect.addFlashAttribute("notice", "Cancelled " + id + ".");
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/gifts";
    }

    private static SendRow row(Send send) {
        return new SendRow(send, money(send.cost(), send.currency()));
    }

    /** Minor units as major units of the currency: 250000 USD is 2500.00. */
    static String money(long minor, String currency) {
        return BigDecimal.valueOf(minor, Currency.getInstance(currency).getDefaultFractionDigits())
                        .toPlainString()
                + " " + currency;
    }
}
