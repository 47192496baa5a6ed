package io.bestow.journeys;

import io.bestow.customers.Customer;
import io.bestow.customers.CustomerManagement;
import io.bestow.shared.ApiException;
import io.bestow.shared.CsvReader;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Expressions;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectEvent;
import io.bestow.shared.ProjectId;
import io.bestow.shared.RequestBodies;
import io.bestow.shared.SqlFilters;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Programs: drafts that are edited freely, published as immutable versions, paused, resumed and stopped; their
 * participants, with history and counts; previews; and entering customers by hand.
 */
@Service
public class ProgramManagement {

    private static final String WHAT = "program";
    private static final int MAX_UPLOADED = 10_000;
    private static final Set<String> FIELDS =
            Set.of("name", "description", "trigger", "participants", "start", "steps", "settings");

    private final Programs programs;
    private final Participants participants;
    private final ProgramCounts counts;
    private final Versions versions;
    private final Entering entering;
    private final Previewing previewing;
    private final CustomerManagement customers;
    private final Expressions expressions;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    ProgramManagement(
            Programs programs,
            Participants participants,
            ProgramCounts counts,
            Versions versions,
            Entering entering,
            Previewing previewing,
            CustomerManagement customers,
            Expressions expressions,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.programs = programs;
        this.participants = participants;
        this.counts = counts;
        this.versions = versions;
        this.entering = entering;
        this.previewing = previewing;
        this.customers = customers;
        this.expressions = expressions;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** Creates a draft program; its definition is checked for structure (422 naming each wrong field). */
    @Transactional
    public Program create(ProjectId project, JsonNode body) {
        RequestBodies.expectFields(body, FIELDS, WHAT);
        var name = name(RequestBodies.text(body, "name", null, WHAT));
        var definition = Definition.read(body, expressions, json);
        var id = Ids.generate("prg");
        try {
            programs.insert(
                    project,
                    id,
                    name,
                    RequestBodies.text(body, "description", null, WHAT),
                    Definition.source(body, json),
                    definition.trigger().type(),
                    clock.instant());
        } catch (DuplicateKeyException e) {
            throw duplicate(name);
        }
        var program = program(project, id);
        events.publishEvent(new ProgramChanged(EventMeta.of(project, clock), program, "created"));
        return program;
    }

    /**
     * Changes the draft: the given fields replace the draft's, the others stay. A published version never changes;
     * publishing the draft makes the next one.
     */
    @Transactional
    public Program update(ProjectId project, String id, JsonNode body) {
        RequestBodies.expectFields(body, FIELDS, WHAT);
        var existing = programs.lock(project, id).orElseThrow(() -> ApiException.notFound(WHAT, id));
        var merged = json.valueToTree(existing.definition());
        var draft = (ObjectNode) merged;
        for (var field : Definition.FIELDS) {
            if (body.has(field)) {
                draft.set(field, body.get(field));
            }
        }
        Definition.read(draft, expressions, json);
        var name = name(RequestBodies.text(body, "name", existing.name(), WHAT));
        try {
            programs.updateDraft(
                    project,
                    id,
                    name,
                    RequestBodies.text(body, "description", existing.description(), WHAT),
                    Definition.source(draft, json),
                    clock.instant());
        } catch (DuplicateKeyException e) {
            throw duplicate(name);
        }
        var program = program(project, id);
        events.publishEvent(new ProgramChanged(EventMeta.of(project, clock), program, "updated"));
        return program;
    }

    public Program program(ProjectId project, String id) {
        return programs.find(project, id).orElseThrow(() -> ApiException.notFound(WHAT, id));
    }

    /** A published version as it was published. */
    public Map<String, Object> version(ProjectId project, String id, int version) {
        program(project, id);
        var definition =
                programs.version(id, version).orElseThrow(() -> ApiException.notFound("version", id + "/" + version));
        var shown = new LinkedHashMap<String, Object>();
        shown.put("object", "program_version");
        shown.put("program_id", id);
        shown.put("version", version);
        shown.putAll(json.convertValue(definition, new TypeReference<Map<String, Object>>() {}));
        return shown;
    }

    public List<Program> programs(ProjectId project, @Nullable String status, Paging paging) {
        return programs.list(project, new SqlFilters().where("status", status), paging);
    }

    public long countPrograms(ProjectId project, @Nullable String status) {
        return programs.count(project, new SqlFilters().where("status", status));
    }

    /** Deletes a program that is not running (a draft or a stopped one) with its participants and history. */
    @Transactional
    public void delete(ProjectId project, String id) {
        var existing = programs.lock(project, id).orElseThrow(() -> ApiException.notFound(WHAT, id));
        if (existing.status().equals(Program.ACTIVE) || existing.status().equals(Program.PAUSED)) {
            throw ApiException.conflict("program_running", "Stop the program before deleting it");
        }
        programs.delete(project, id);
        events.publishEvent(new ProgramChanged(EventMeta.of(project, clock), existing, "deleted"));
    }

    /**
     * Publishes the draft as the next version and makes the program active. Refused (422) while the preview finds
     * errors; 409 when the draft is the version already published and the program is active. A manual program
     * enters everyone its participants query holds (as an async action); a scheduled one fires at its next time.
     */
    @Transactional
    public Map<String, Object> publish(ProjectId project, String id) {
        var existing = programs.lock(project, id).orElseThrow(() -> ApiException.notFound(WHAT, id));
        if (existing.version() != null
                && !existing.draftChanged()
                && !existing.status().equals(Program.STOPPED)) {
            throw ApiException.conflict(
                    "nothing_to_publish", "Version " + existing.version() + " is the draft already and is published");
        }
        var source = json.valueToTree(existing.definition());
        var definition = Definition.read(source, expressions, json);
        var errors = previewing.problems(project, definition).stream()
                .filter(problem -> problem.severity().equals("error"))
                .toList();
        if (!errors.isEmpty()) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "program_invalid",
                    "The program cannot be published: "
                            + (errors.getFirst().step() == null
                                    ? ""
                                    : errors.getFirst().step() + ": ")
                            + errors.getFirst().message(),
                    Map.of("problems", errors));
        }
        int version = existing.version() == null ? 1 : existing.version() + 1;
        var now = clock.instant();
        programs.publish(
                project, id, version, source, definition.trigger().type(), Entering.nextFire(definition, now), now);
        entering.forget(project);
        var published = new Programs.Published(project, id, existing.name(), version);
        var program = program(project, id);
        events.publishEvent(new ProgramChanged(EventMeta.of(project, clock), program, "published"));
        var result = new LinkedHashMap<String, Object>(
                json.convertValue(program, new TypeReference<Map<String, Object>>() {}));
        if (definition.trigger() instanceof Definition.ManualTrigger
                && (definition.participants().query() != null
                        || definition.participants().segmentId() != null)) {
            var action = entering.enrollLater(published, definition.participants());
            result.put("enrollment", Map.of("async_action_id", action.id()));
        }
        return result;
    }

    @Transactional
    public Program pause(ProjectId project, String id) {
        return move(project, id, Set.of(Program.ACTIVE), Program.PAUSED, "paused");
    }

    @Transactional
    public Program resume(ProjectId project, String id) {
        var program = move(project, id, Set.of(Program.PAUSED), Program.ACTIVE, "resumed");
        entering.forget(project);
        return program;
    }

    /** Stops the program: nobody enters any more, and everyone inside leaves ({@code exited}). */
    @Transactional
    public Program stop(ProjectId project, String id) {
        var program = move(project, id, Set.of(Program.ACTIVE, Program.PAUSED), Program.STOPPED, "stopped");
        var now = clock.instant();
        var exited = participants.exitAll(id, now);
        participants.record(exited.stream()
                .map(participant -> new Participants.Line(
                        project,
                        id,
                        participant.id(),
                        null,
                        null,
                        Participant.EXITED,
                        Map.of("error", "The program was stopped"),
                        now))
                .toList());
        var announced = exited.stream()
                .map(participant -> (ProjectEvent) new ParticipantFinished(EventMeta.of(project, clock), participant))
                .toList();
        if (!announced.isEmpty()) {
            events.publishEvent(new ParticipantsChanged(announced));
        }
        return program;
    }

    private Program move(ProjectId project, String id, Set<String> from, String to, String change) {
        var existing = programs.lock(project, id).orElseThrow(() -> ApiException.notFound(WHAT, id));
        if (!from.contains(existing.status())) {
            throw ApiException.conflict(
                    "program_" + existing.status(), "The program is " + existing.status() + ": it cannot be " + change);
        }
        programs.status(project, id, to, clock.instant());
        entering.forget(project);
        var program = program(project, id);
        events.publishEvent(new ProgramChanged(EventMeta.of(project, clock), program, change));
        return program;
    }

    /**
     * Enters customers by hand into the published version: {@code customers} (ids or source ids, up to 1,000) at
     * once, or everyone a {@code query} or {@code segment_id} holds as an async action.
     */
    public Map<String, Object> enter(ProjectId project, String id, JsonNode body) {
        RequestBodies.expectFields(body, Set.of("customers", "query", "segment_id"), "enrollment");
        var published = published(project, id);
        var listed = body.path("customers");
        if (listed.isArray()) {
            if (listed.isEmpty() || listed.size() > 1_000) {
                throw RequestBodies.invalid(
                        "enrollment", "customers", "must list 1 to 1000 customer ids or source ids");
            }
            var references = new ArrayList<String>();
            for (var reference : listed) {
                if (!reference.isString() || reference.asString().isBlank()) {
                    throw RequestBodies.invalid("enrollment", "customers", "must hold ids or source ids (strings)");
                }
                references.add(reference.asString());
            }
            return entering.enterListed(published, references, false);
        }
        var query = RequestBodies.text(body, "query", null, "enrollment");
        var segment = RequestBodies.text(body, "segment_id", null, "enrollment");
        if (query == null && segment == null) {
            throw RequestBodies.invalid("enrollment", "customers", "is required, or a query or a segment_id");
        }
        if (query != null) {
            expressions.predicate(query, "customer");
        }
        var action = entering.enrollLater(published, new Definition.Audience(query, segment));
        return Map.of("object", "program_enrollment", "async_action_id", action.id());
    }

    /**
     * Enters an uploaded list: a CSV whose header names a {@code source_id}, {@code id} or {@code email} column, up to
     * 10,000 rows, a thousand per transaction. Answers how many entered, how many were in already, and the rows that
     * name no customer.
     */
    public Map<String, Object> enterUploaded(ProjectId project, String id, InputStream csv) {
        var published = published(project, id);
        var references = new ArrayList<String>();
        boolean byEmail;
        try (var reader = new CsvReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
            var header = reader.next();
            int column = header == null ? -1 : columnOf(header.fields());
            if (column < 0) {
                throw RequestBodies.invalid("enrollment", "file", "must be a CSV with a source_id, id or email column");
            }
            byEmail = header.fields().get(column).trim().equalsIgnoreCase("email");
            for (var row = reader.next(); row != null; row = reader.next()) {
                if (column < row.fields().size() && !row.fields().get(column).isBlank()) {
                    references.add(row.fields().get(column).trim());
                }
                if (references.size() > MAX_UPLOADED) {
                    throw RequestBodies.invalid("enrollment", "file", "must hold at most " + MAX_UPLOADED + " rows");
                }
            }
        } catch (CsvReader.MalformedCsv e) {
            throw RequestBodies.invalid("enrollment", "file", "is not valid CSV (line " + e.line() + ")");
        } catch (IOException e) {
            throw RequestBodies.invalid("enrollment", "file", "cannot be read");
        }
        if (references.isEmpty()) {
            throw RequestBodies.invalid("enrollment", "file", "lists no customers");
        }
        long entered = 0;
        long skipped = 0;
        var missing = new ArrayList<Object>();
        for (int from = 0; from < references.size(); from += 1_000) {
            var chunk = references.subList(from, Math.min(references.size(), from + 1_000));
            var result = entering.enterListed(published, chunk, byEmail);
            entered += ((Number) result.get("entered")).longValue();
            skipped += ((Number) result.get("skipped")).longValue();
            missing.addAll((List<?>) result.get("not_found"));
        }
        var result = new LinkedHashMap<String, Object>();
        result.put("object", "program_enrollment");
        result.put("entered", entered);
        result.put("skipped", skipped);
        result.put("not_found", missing);
        return result;
    }

    private static int columnOf(List<String> header) {
        for (var name : List.of("source_id", "id", "email")) {
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).trim().equalsIgnoreCase(name)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private Programs.Published published(ProjectId project, String id) {
        var program = program(project, id);
        if (!program.status().equals(Program.ACTIVE) || program.version() == null) {
            throw ApiException.conflict("program_" + program.status(), "Only an active program takes participants");
        }
        return new Programs.Published(project, id, program.name(), program.version());
    }

    /** A program's participants, newest first, by status and customer. */
    public List<Participant> participants(
            ProjectId project, String id, @Nullable String status, @Nullable String customer, Paging paging) {
        program(project, id);
        return participants.list(project, id, status, customerId(project, customer), paging);
    }

    public long countParticipants(ProjectId project, String id, @Nullable String status, @Nullable String customer) {
        return participants.count(project, id, status, customerId(project, customer));
    }

    /** One participant with its variables and its history. */
    public Participant participant(ProjectId project, String id, String participantId) {
        var found = participants
                .find(project, id, participantId)
                .orElseThrow(() -> ApiException.notFound("participant", participantId));
        return found.with(found.variables(), participants.history(participantId));
    }

    /** How many participants are in each status, and how each step went. */
    public Map<String, Object> stats(ProjectId project, String id) {
        var program = program(project, id);
        var stats = new LinkedHashMap<String, Object>();
        stats.put("object", "program_stats");
        stats.put("program_id", program.id());
        var figures = counts.figures(id);
        stats.put("participants", figures.statuses());
        stats.put(
                "total",
                figures.statuses().values().stream().mapToLong(Long::longValue).sum());
        stats.put("steps", figures.steps());
        return stats;
    }

    /**
     * Previews the draft ({@code "version": "draft"}, the default) or the published version for a sample participant
     * ({@code customer_id}, else the first the audience holds) and a sample {@code event}.
     */
    public Map<String, Object> preview(ProjectId project, String id, JsonNode body) {
        RequestBodies.expectFields(body, Set.of("customer_id", "event", "version"), "preview");
        var program = program(project, id);
        var which = RequestBodies.text(body, "version", "draft", "preview");
        Definition definition;
        if ("draft".equals(which)) {
            definition = Definition.read(json.valueToTree(program.definition()), expressions, json);
        } else if ("published".equals(which) && program.version() != null) {
            definition = versions.definition(id, program.version());
        } else {
            throw RequestBodies.invalid("preview", "version", "must be draft or published (once published)");
        }
        Customer customer = null;
        var customerId = RequestBodies.text(body, "customer_id", null, "preview");
        if (customerId != null) {
            customer = customers.customer(project, customerId);
        }
        Map<String, Object> event = Map.of();
        if (body.path("event").isObject()) {
            event = json.convertValue(body.get("event"), new TypeReference<Map<String, Object>>() {});
        } else if (body.has("event") && !body.get("event").isNull()) {
            throw RequestBodies.invalid("preview", "event", "must be an object: the entering event's fields");
        }
        return previewing.preview(project, id, definition, customer, event, clock.instant());
    }

    private @Nullable String customerId(ProjectId project, @Nullable String customer) {
        if (customer == null) {
            return null;
        }
        return customers.findCustomer(project, customer).map(Customer::id).orElse(customer);
    }

    private static String name(@Nullable String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw RequestBodies.invalid(WHAT, "name", "is required: 1 to 200 characters");
        }
        return name.trim();
    }

    private static ApiException duplicate(String name) {
        return ApiException.conflict("duplicate_name", "A program named " + name + " exists already");
    }
}
