package io.bestow.customers;

import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/customers}, as Voucherify's v1 API has it: paths take a customer's id or source id; a create with a
 * known {@code id} or {@code source_id} updates that customer.
 */
@RestController
@RequestMapping("/v1/customers")
@Tag(name = "Customers")
class CustomersController {

    private final CustomerManagement customers;
    private final CustomerImport imports;
    private final SegmentManagement segments;
    private final Clock clock;

    CustomersController(CustomerManagement customers, CustomerImport imports, SegmentManagement segments, Clock clock) {
        this.customers = customers;
        this.imports = imports;
        this.segments = segments;
        this.clock = clock;
    }

    @PostMapping
    CustomerView upsert(ProjectId project, @RequestBody JsonNode body) {
        return CustomerView.of(customers.upsert(project, body).customer());
    }

    /**
     * Filters: {@code email}, {@code city}, {@code name} (contains), {@code created_at[before]}, {@code
     * created_at[after]}, {@code updated_at[before]}, {@code updated_at[after]}, {@code metadata[key]=value}, {@code
     * segment_id}; {@code order} is created_at, updated_at, source_id, name or email, with a leading - for
     * descending; {@code starting_after} takes a customer id or, as in Voucherify, a created_at timestamp.
     */
    @GetMapping
    Map<String, Object> list(ProjectId project, Paging paging, @RequestParam Map<String, String> filters) {
        var page = customers.customers(project, filters, paging).stream()
                .map(CustomerView::of)
                .toList();
        return paging.list("customers", page, customers.countCustomers(project, filters));
    }

    /** Starts a CSV import (multipart field {@code file}); its progress is at {@code /v1/async-actions/{id}}. */
    @PostMapping(path = "/importCSV", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Map<String, Object>> importCsv(ProjectId project, @RequestParam("file") MultipartFile file)
            throws IOException {
        try (var in = file.getInputStream()) {
            var action = imports.accept(project, in);
            return ResponseEntity.accepted().body(Map.of("async_action_id", action.id()));
        }
    }

    /** A CSV download of all customers, or of those matching the list filters (such as {@code segment_id}). */
    @GetMapping(path = "/export", produces = "text/csv")
    ResponseEntity<StreamingResponseBody> export(ProjectId project, @RequestParam Map<String, String> filters) {
        customers.checkFilters(filters);
        StreamingResponseBody body = out -> {
            var writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 65536);
            customers.export(project, filters, writer);
            writer.flush();
        };
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"customers.csv\"")
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(body);
    }

    @GetMapping("/{id}")
    CustomerView get(ProjectId project, @PathVariable String id) {
        return CustomerView.of(customers.customer(project, id));
    }

    @PutMapping("/{id}")
    CustomerView update(ProjectId project, @PathVariable String id, @RequestBody JsonNode body) {
        return CustomerView.of(customers.update(project, id, body));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(ProjectId project, @PathVariable String id) {
        customers.delete(project, id);
    }

    /**
     * The customer's timeline, newest first. As in Voucherify the items are under {@code data} and the cursor is
     * {@code starting_after_id} (or {@code starting_after}); {@code more_starting_after} gives the next cursor.
     */
    @GetMapping("/{id}/activity")
    Map<String, Object> activity(
            ProjectId project,
            @PathVariable String id,
            @RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "page", required = false) Integer page,
            @RequestParam(name = "starting_after", required = false) String startingAfter,
            @RequestParam(name = "starting_after_id", required = false) String startingAfterId) {
        var paging = Paging.of(limit, page, startingAfterId != null ? startingAfterId : startingAfter);
        var items = customers.activities(project, id, paging);
        var body = paging.list("data", items, customers.countActivities(project, id));
        if (Boolean.TRUE.equals(body.get("has_more"))) {
            body.put("more_starting_after", items.get(paging.limit() - 1).id());
        }
        return body;
    }

    /** The segments the customer is in now. */
    @GetMapping("/{id}/segments")
    Map<String, Object> segments(ProjectId project, @PathVariable String id) {
        var data = segments.segmentsOf(project, customers.customer(project, id)).stream()
                .map(s -> Map.of("id", s.id(), "name", s.name(), "object", "segment"))
                .toList();
        return Map.of("object", "list", "data_ref", "data", "data", data, "total", data.size());
    }

    /** The milestones the customer has reached, oldest first. */
    @GetMapping("/{id}/milestones")
    Map<String, Object> milestones(ProjectId project, @PathVariable String id) {
        var reached = customers.milestonesReached(project, id);
        return Map.of(
                "object",
                "list",
                "data_ref",
                "milestones",
                "milestones",
                reached,
                "total",
                reached.size(),
                "has_more",
                false);
    }

    /** Erases the customer's personal data for good; the response follows Voucherify's (spelling included). */
    @PostMapping("/{id}/permanent-deletion")
    Map<String, Object> erase(ProjectId project, @PathVariable String id) {
        var erased = customers.erase(project, id);
        var body = new LinkedHashMap<String, Object>();
        body.put("id", Ids.generate("del"));
        body.put("created_at", clock.instant());
        body.put("related_object_id", erased.id());
        body.put("related_object", "customer");
        body.put("status", "DONE");
        body.put("data_json", Map.of("customer", 1));
        body.put("object", "pernament_deletion");
        return body;
    }
}
