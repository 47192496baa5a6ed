package io.bestow.codes;

import io.bestow.campaigns.Campaign;
import io.bestow.shared.ApiException;
import io.bestow.shared.AsyncAction;
import io.bestow.shared.AsyncActions;
import io.bestow.shared.ProjectId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Imports given codes, as Voucherify's {@code POST /v1/vouchers/import} and {@code POST /v1/campaigns/{id}/import}
 * do: a JSON list of up to {@value #MAX_CODES} vouchers. Each code goes in on its own, so a duplicate or an invalid
 * one is reported (with its index, code and reason) while the others go in; the outcome is recorded as an async
 * action, finished when the response is sent.
 */
@Component
class CodeImport {

    static final int MAX_CODES = 10_000;
    static final String TYPE = "VOUCHERS_IMPORT";
    private static final int MAX_REPORTED_ERRORS = 100;

    private final VoucherManagement vouchers;
    private final AsyncActions actions;
    private final TransactionTemplate transaction;

    CodeImport(VoucherManagement vouchers, AsyncActions actions, TransactionTemplate transaction) {
        this.vouchers = vouchers;
        this.actions = actions;
        this.transaction = transaction;
    }

    /** Imports the codes, into the campaign when one is given; returns the finished async action. */
    AsyncAction importCodes(ProjectId project, @Nullable Campaign campaign, JsonNode list) {
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_CODES) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_payload",
                    "The body must be a list of 1 to " + MAX_CODES + " vouchers",
                    Map.of("body", "must be a list of 1 to " + MAX_CODES + " vouchers"));
        }
        var action = actions.create(project, campaign == null ? TYPE : "CAMPAIGN_" + TYPE);
        actions.start(action.id());
        long imported = 0;
        var errors = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < list.size(); i++) {
            var item = list.get(i);
            var code = item.path("code");
            try {
                if (!code.isString() || code.asString().isBlank()) {
                    throw ApiException.invalid("code is required", Map.of("code", "is required"));
                }
                transaction.executeWithoutResult(status -> {
                    if (campaign == null) {
                        vouchers.create(project, code.asString(), item);
                    } else {
                        vouchers.addToCampaign(project, campaign, code.asString(), item);
                    }
                });
                imported++;
            } catch (ApiException e) {
                if (errors.size() < MAX_REPORTED_ERRORS) {
                    var error = new LinkedHashMap<String, Object>();
                    error.put("index", i);
                    error.put("code", code.asString(""));
                    error.put("key", e.key());
                    error.put("reason", e.getMessage());
                    errors.add(error);
                }
            }
        }
        var result = new LinkedHashMap<String, Object>();
        if (campaign != null) {
            result.put("campaign_id", campaign.id());
        }
        result.put("imported", imported);
        result.put("failed", list.size() - imported);
        result.put("errors", List.copyOf(errors));
        actions.progress(action.id(), imported, list.size() - imported, 100, result);
        actions.finish(action.id(), AsyncAction.Status.DONE, result);
        return actions.find(action.id()).orElseThrow();
    }
}
