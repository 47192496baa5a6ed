package io.bestow.budgets;

import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.RequestBodies;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /v1/budgets}: wallets, their top-ups and adjustments (admins only), their ledger and its check. */
@RestController
@Tag(name = "Budgets")
class BudgetsController {

    private final BudgetManagement budgets;

    BudgetsController(BudgetManagement budgets) {
        this.budgets = budgets;
    }

    @PostMapping("/v1/budgets")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    Budget create(ProjectId project, @RequestBody JsonNode body) {
        return budgets.create(project, body);
    }

    /** Budgets, oldest first; filter by {@code owner_type}, {@code owner_id} and {@code currency}. */
    @GetMapping("/v1/budgets")
    Map<String, Object> list(
            ProjectId project,
            Paging paging,
            @RequestParam(name = "owner_type", required = false) @Nullable String ownerType,
            @RequestParam(name = "owner_id", required = false) @Nullable String ownerId,
            @RequestParam(required = false) @Nullable String currency) {
        return paging.list(
                "budgets",
                budgets.budgets(project, ownerType, ownerId, currency, paging),
                budgets.countBudgets(project, ownerType, ownerId, currency));
    }

    @GetMapping("/v1/budgets/{id}")
    Budget get(ProjectId project, @PathVariable String id) {
        return budgets.budget(project, id);
    }

    @PutMapping("/v1/budgets/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    Budget update(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        return budgets.update(project, id, body);
    }

    @DeleteMapping("/v1/budgets/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('ADMIN')")
    void delete(ProjectId project, @PathVariable String id) {
        budgets.delete(project, id);
    }

    /** Adds {@code amount} (minor units) from outside, with an optional {@code memo}. */
    @PostMapping("/v1/budgets/{id}/top-ups")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    LedgerEntry topUp(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        RequestBodies.expectFields(body, Set.of("amount", "memo"), "top-up");
        var amount = RequestBodies.amount(body, "amount", null, "top-up");
        if (amount == null) {
            throw RequestBodies.invalid("top-up", "amount", "is required, in minor units (1000 is 10.00)");
        }
        return budgets.topUp(project, id, amount, RequestBodies.text(body, "memo", null, "top-up"));
    }

    /** Corrects the available money by a signed {@code amount}, with the reason in {@code memo}. */
    @PostMapping("/v1/budgets/{id}/adjustments")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    LedgerEntry adjust(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        RequestBodies.expectFields(body, Set.of("amount", "memo"), "adjustment");
        var amount = body.get("amount");
        if (amount == null || !amount.isIntegralNumber() || !amount.canConvertToLong()) {
            throw RequestBodies.invalid(
                    "adjustment", "amount", "is required: a whole number of minor units, negative to take out");
        }
        var memo = RequestBodies.text(body, "memo", null, "adjustment");
        if (memo == null || memo.isBlank()) {
            throw RequestBodies.invalid("adjustment", "memo", "is required: why the budget is corrected");
        }
        return budgets.adjust(project, id, amount.asLong(), memo);
    }

    /** The ledger, newest first; {@code type} filters by entry type. */
    @GetMapping("/v1/budgets/{id}/ledger")
    Map<String, Object> ledger(
            ProjectId project,
            @PathVariable String id,
            Paging paging,
            @RequestParam(required = false) @Nullable String type) {
        return paging.list(
                "entries", budgets.ledger(project, id, type, paging), budgets.countLedger(project, id, type));
    }

    /** Checks that every budget's balances equal the sums of its ledger entries and holds. */
    @GetMapping("/v1/budgets/ledger-check")
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> checkAll(ProjectId project) {
        return budgets.checkInvariant(project, null);
    }

    @GetMapping("/v1/budgets/{id}/ledger-check")
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> check(ProjectId project, @PathVariable String id) {
        return budgets.checkInvariant(project, id);
    }
}
