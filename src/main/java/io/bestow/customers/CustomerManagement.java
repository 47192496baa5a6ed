package io.bestow.customers;

import io.bestow.shared.ApiException;
import io.bestow.shared.CsvWriter;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Expressions;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Customer profiles: the customers module's API for the other modules and its own controllers. */
@Service
public class CustomerManagement {

    private final Customers customers;
    private final SegmentMembership memberships;
    private final Timeline timeline;
    private final ApplicationEventPublisher events;
    private final Expressions expressions;
    private final JsonMapper json;
    private final Clock clock;

    CustomerManagement(
            Customers customers,
            SegmentMembership memberships,
            Timeline timeline,
            ApplicationEventPublisher events,
            Expressions expressions,
            JsonMapper json,
            Clock clock) {
        this.expressions = expressions;
        this.customers = customers;
        this.memberships = memberships;
        this.timeline = timeline;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** A customer by its id or its source id. */
    public Customer customer(ProjectId project, String idOrSourceId) {
        return customers.find(project, idOrSourceId).orElseThrow(() -> ApiException.notFound("customer", idOrSourceId));
    }

    /** The customer with this e-mail address (without case), if there is one; the oldest when several share it. */
    public Optional<Customer> findByEmail(ProjectId project, String email) {
        return customers.findByEmail(project, email);
    }

    /** The customers these references name (each an id, else a source id), by reference; unknown ones left out. */
    public Map<String, Customer> customersByReferences(ProjectId project, List<String> references) {
        return references.isEmpty() ? Map.of() : customers.byReferences(project, references);
    }

    /** The oldest customer with each of these e-mail addresses, by address as given; unknown ones left out. */
    public Map<String, Customer> customersByEmails(ProjectId project, List<String> emails) {
        return emails.isEmpty() ? Map.of() : customers.byEmails(project, emails);
    }

    /** A customer by its id or its source id, if there is one. */
    public Optional<Customer> findCustomer(ProjectId project, String idOrSourceId) {
        return customers.find(project, idOrSourceId);
    }

    /**
     * Creates a customer, or updates the one the body names by {@code id} or {@code source_id}. Parallel upserts of
     * one source id converge on a single customer.
     */
    @Transactional
    public Upserted upsert(ProjectId project, JsonNode body) {
        var changes = CustomerChanges.parse(body, json);
        var id = body.path("id");
        return upsert(
                project,
                id.isString() && !id.asString().isBlank() ? id.asString().trim() : null,
                changes);
    }

    @Transactional
    Upserted upsert(ProjectId project, @Nullable String id, CustomerChanges changes) {
        if (id != null) {
            var existing = customers.lockById(project, id).orElseThrow(() -> ApiException.notFound("customer", id));
            return new Upserted(save(project, existing, changes), false);
        }
        var sourceId = changes.sourceId();
        if (sourceId == null) {
            return new Upserted(create(project, changes), true);
        }
        // Lock the existing row, or insert; an insert that loses a race finds the winner's row on the next pass.
        for (int attempt = 0; attempt < 3; attempt++) {
            var existing = customers.lockBySourceId(project, sourceId);
            if (existing.isPresent()) {
                return new Upserted(save(project, existing.get(), changes), false);
            }
            var fresh = changes.applyTo(blank(), clock.instant());
            if (customers.insertIfAbsent(project, fresh)) {
                created(project, fresh);
                return new Upserted(fresh, true);
            }
        }
        throw ApiException.conflict("concurrent_update", "The customer is being changed concurrently; retry");
    }

    /**
     * The customer a request names, as Voucherify's redemptions and publications take it: by {@code id} alone, or by
     * {@code source_id}, created on the fly when new and updated when the request carries other fields that differ.
     */
    @Transactional
    public Customer resolve(ProjectId project, JsonNode reference) {
        if (!reference.isObject()) {
            throw ApiException.invalid(
                    "The customer must be an object with an id or a source_id",
                    Map.of("customer", "must be an object with an id or a source_id"));
        }
        var id = reference.path("id");
        var sourceId = reference.path("source_id");
        boolean onlyReference = reference.propertyNames().stream()
                .allMatch(name -> name.equals("id") || name.equals("source_id") || name.equals("object"));
        if (id.isString() && !id.asString().isBlank() && (onlyReference || !sourceId.isString())) {
            var existing = customer(project, id.asString().trim());
            return onlyReference ? existing : update(project, existing.id(), reference);
        }
        if (!sourceId.isString() || sourceId.asString().isBlank()) {
            throw ApiException.invalid(
                    "The customer needs an id or a source_id", Map.of("customer", "must have an id or a source_id"));
        }
        if (onlyReference) {
            var existing = customers.find(project, sourceId.asString().trim());
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        return upsert(project, reference).customer();
    }

    /**
     * Puts an entry on the customer's timeline in the caller's transaction: what other modules record about a
     * customer, such as a publication, a redemption or a reward.
     */
    public Activity recordActivity(
            ProjectId project, Customer customer, String type, @Nullable String name, Map<String, Object> data) {
        return timeline.record(project, customer, type, name, data);
    }

    /**
     * Puts an entry of one type and name on each customer's timeline, with one statement, in the caller's
     * transaction: what a bulk job records, such as the participants a program step handled.
     */
    public List<Activity> recordActivities(
            ProjectId project, List<Customer> customers, String type, String name, List<Map<String, Object>> data) {
        return customers.isEmpty() ? List.of() : timeline.recordAll(project, customers, type, name, data);
    }

    /** Declares a milestone: customers reach it when they first send the event ({@code event}, else its name). */
    public Milestone declareMilestone(ProjectId project, String name, String event, @Nullable String description) {
        return timeline.declareMilestone(project, name, event, description);
    }

    /** The customers with these ids, by id; ids of no customer (any more) are left out. */
    public Map<String, Customer> customersByIds(ProjectId project, List<String> ids) {
        return ids.isEmpty() ? Map.of() : customers.byIds(project, ids);
    }

    /**
     * Calls the action with every customer of the project that the CEL filter over {@code customer} matches (all when
     * it is null), or that the segment holds, oldest first, streaming.
     */
    public void forEachMatching(
            ProjectId project, @Nullable String filter, @Nullable String segmentId, Consumer<Customer> action) {
        var predicate = filter == null ? null : expressions.predicate(filter, SegmentMembership.VARIABLE);
        var query = segmentId == null ? CustomerQuery.ALL : CustomerQuery.ALL.inSegment(segmentId);
        customers.forEach(project, query, customer -> {
            if (predicate == null || predicate.test(Map.of(SegmentMembership.VARIABLE, customer.asVariables()))) {
                action.accept(customer);
            }
        });
    }

    /** Whether the CEL filter over {@code customer} matches this customer. */
    public boolean matches(String filter, Customer customer) {
        return expressions
                .predicate(filter, SegmentMembership.VARIABLE)
                .test(Map.of(SegmentMembership.VARIABLE, customer.asVariables()));
    }

    /** Changes the given fields of an existing customer; the others stay as they are. */
    @Transactional
    public Customer update(ProjectId project, String idOrSourceId, JsonNode body) {
        var changes = CustomerChanges.parse(body, json);
        var id = customer(project, idOrSourceId).id();
        var existing =
                customers.lockById(project, id).orElseThrow(() -> ApiException.notFound("customer", idOrSourceId));
        return save(project, existing, changes);
    }

    /** Deletes a customer with its timeline, memberships and milestones. */
    @Transactional
    public Customer delete(ProjectId project, String idOrSourceId) {
        var existing = customer(project, idOrSourceId);
        customers.delete(project, existing.id());
        events.publishEvent(new CustomerDeleted(EventMeta.of(project, clock), existing));
        return existing;
    }

    /**
     * Permanently erases a customer's personal data: the profile and everything under it here, and, through
     * {@link CustomerErased}, the copies other modules keep, which keep their money records under the bare id.
     */
    @Transactional
    public Customer erase(ProjectId project, String idOrSourceId) {
        var existing = customer(project, idOrSourceId);
        customers.delete(project, existing.id());
        // Its deletion event carries no personal data, so nothing of it reaches the stream after the redaction.
        events.publishEvent(new CustomerDeleted(
                EventMeta.of(project, clock), Customer.bare(existing.id(), existing.createdAt(), clock.instant())));
        events.publishEvent(new CustomerErased(EventMeta.of(project, clock), existing.id()));
        return existing;
    }

    /**
     * Tracks a custom event ({@code {"event": "signed_up", "customer": {"source_id": …}, "metadata": {…}}}, with
     * {@code "referral": {"code": …}} when it may convert a referral): the
     * customer is upserted (created if new), the event goes on its timeline, milestones declared for it are marked,
     * and {@link CustomEventTracked} tells campaigns and journeys.
     */
    @Transactional
    public TrackedEvent track(ProjectId project, JsonNode body) {
        var name = body.path("event");
        var problems = new LinkedHashMap<String, String>();
        if (!name.isString() || name.asString().isBlank() || name.asString().length() > 300) {
            problems.put("event", "must be a name of 1 to 300 characters");
        }
        var customerNode = body.path("customer");
        var customerId = customerNode.path("id");
        if (!customerNode.isObject()) {
            problems.put("customer", "must be an object with an id or a source_id");
        } else if (!customerId.isString() && !customerNode.path("source_id").isString()) {
            problems.put("customer", "must have an id or a source_id");
        }
        var metadata = body.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isNull() && !metadata.isObject()) {
            problems.put("metadata", "must be a JSON object");
        }
        var referral = body.path("referral");
        if (!referral.isMissingNode()
                && !referral.isNull()
                && (!referral.isObject() || !referral.path("code").isString())) {
            problems.put("referral", "must be an object with the referral code: {\"code\": …}");
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid("The event has invalid fields", problems);
        }
        var changes = CustomerChanges.parse(customerNode, json);
        var customer = upsert(
                        project, customerId.isString() ? customerId.asString().trim() : null, changes)
                .customer();
        var data = new LinkedHashMap<String, Object>();
        data.put("metadata", metadata.isObject() ? json.convertValue(metadata, LinkedHashMap.class) : Map.of());
        if (referral.isObject()) {
            var code = new LinkedHashMap<String, Object>();
            code.put("code", referral.path("code").asString());
            if (referral.path("referrer_id").isString()) {
                code.put("referrer_id", referral.path("referrer_id").asString());
            }
            data.put("referral", code);
        }
        var activity = timeline.record(
                project, customer, Timeline.CUSTOM_EVENT, name.asString().trim(), data);
        events.publishEvent(new CustomEventTracked(EventMeta.of(project, clock), activity, customer));
        return new TrackedEvent(activity, customer);
    }

    /** A customer's timeline, newest first. */
    public List<Activity> activities(ProjectId project, String idOrSourceId, Paging paging) {
        return timeline.activities(project, customer(project, idOrSourceId).id(), paging);
    }

    public long countActivities(ProjectId project, String idOrSourceId) {
        return timeline.countActivities(project, customer(project, idOrSourceId).id());
    }

    /** The milestones a customer has reached, with when. */
    public List<Map<String, Object>> milestonesReached(ProjectId project, String idOrSourceId) {
        return timeline.reached(project, customer(project, idOrSourceId).id());
    }

    /** The columns of a customer export, in order; the import reads them back. */
    static final List<String> EXPORT_COLUMNS = Stream.of(
                    Stream.of("id"),
                    CustomerChanges.FIELDS.stream(),
                    CustomerChanges.ADDRESS.stream().map(part -> "address_" + part),
                    Stream.of("metadata", "created_at", "updated_at"))
            .flatMap(columns -> columns)
            .toList();

    /** Writes the matching customers as CSV, streaming from the database in constant memory. */
    @Transactional(readOnly = true)
    public void export(ProjectId project, Map<String, String> filters, Writer out) throws IOException {
        var query = CustomerQuery.from(filters);
        var csv = new CsvWriter(out);
        csv.write(EXPORT_COLUMNS);
        try {
            customers.forEach(project, query, customer -> {
                var values = customer.asVariables();
                @SuppressWarnings("unchecked")
                var address = (Map<String, Object>) values.get("address");
                var row = new ArrayList<String>(EXPORT_COLUMNS.size());
                for (var column : EXPORT_COLUMNS) {
                    Object value = column.startsWith("address_")
                            ? address.get(column.substring(8))
                            : column.equals("metadata")
                                    ? customer.metadata().isEmpty()
                                            ? null
                                            : json.writeValueAsString(customer.metadata())
                                    : values.get(column);
                    row.add(value == null ? null : value.toString());
                }
                try {
                    csv.write(row);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Validates the query of an export before any byte of it is sent. */
    public void checkFilters(Map<String, String> filters) {
        CustomerQuery.from(filters);
    }

    public List<Customer> customers(ProjectId project, Map<String, String> filters, Paging paging) {
        return customers.list(project, CustomerQuery.from(filters), paging);
    }

    public long countCustomers(ProjectId project, Map<String, String> filters) {
        return customers.count(project, CustomerQuery.from(filters));
    }

    private Customer create(ProjectId project, CustomerChanges changes) {
        var fresh = changes.applyTo(blank(), clock.instant());
        customers.insertIfAbsent(project, fresh);
        created(project, fresh);
        return fresh;
    }

    private void created(ProjectId project, Customer customer) {
        events.publishEvent(new CustomerCreated(EventMeta.of(project, clock), customer));
        memberships.refresh(project, customer);
    }

    /** Writes the changes if they change anything; an unchanged sync costs no write and no event. */
    private Customer save(ProjectId project, Customer existing, CustomerChanges changes) {
        var updated = changes.applyTo(existing, clock.instant());
        if (updated.sameContentAs(existing)) {
            return existing;
        }
        customers.update(project, updated);
        events.publishEvent(new CustomerUpdated(EventMeta.of(project, clock), updated));
        memberships.refresh(project, updated);
        return updated;
    }

    private Customer blank() {
        var now = clock.instant();
        return Customer.bare(Ids.generate("cust"), now, now);
    }

    /** A tracked custom event and the customer it was tracked for. */
    public record TrackedEvent(Activity activity, Customer customer) {}

    /** The customer an upsert left, and whether it created it. */
    public record Upserted(Customer customer, boolean created) {}
}
