package io.bestow.journeys;

import io.bestow.shared.ApiException;
import io.bestow.shared.Expressions;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a program does: its trigger, who may take part, its step graph (from {@code start}) and its settings, read and
 * checked from the JSON of a draft or a published version. Structure is checked here (a missing field, an unknown
 * step, a cycle, a CEL expression that does not compile); what the steps refer to (actions, gifts, budgets) is
 * checked by the preview and on publish.
 */
record Definition(Trigger trigger, Audience participants, String start, Map<String, Step> steps, Settings settings) {

    static final Set<String> FIELDS = Set.of("trigger", "participants", "start", "steps", "settings");
    private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})\\s*(s|m|h|d)");

    Step step(String id) {
        var step = steps.get(id);
        if (step == null) {
            throw new IllegalStateException("The program has no step " + id);
        }
        return step;
    }

    /** The steps that can be reached from the start, in the order a walk first meets them. */
    List<Step> reachable() {
        var seen = new LinkedHashSet<String>();
        var queue = new ArrayDeque<String>();
        queue.add(start);
        while (!queue.isEmpty()) {
            var id = queue.poll();
            if (!steps.containsKey(id) || !seen.add(id)) {
                continue;
            }
            queue.addAll(steps.get(id).successors());
        }
        return seen.stream().map(steps::get).toList();
    }

    // ---- triggers -------------------------------------------------------------------------------------------------

    /** What enters customers into a program. */
    sealed interface Trigger {
        String type();
    }

    /** A custom event by name, optionally only when a CEL condition over {@code event} and {@code customer} holds. */
    record EventTrigger(String event, @Nullable String condition) implements Trigger {
        public String type() {
            return "event";
        }
    }

    /** Entering a segment. */
    record SegmentTrigger(String segmentId) implements Trigger {
        public String type() {
            return "segment";
        }
    }

    /** Reaching a milestone (by name or id). */
    record MilestoneTrigger(String milestone) implements Trigger {
        public String type() {
            return "milestone";
        }
    }

    /**
     * A timeline entry of a type ({@code custom_event}, {@code redemption}, {@code publication}, {@code send}, …),
     * optionally with a name and with options its data must hold (top level or under {@code metadata}).
     */
    record TimelineTrigger(String activityType, @Nullable String name, Map<String, Object> options) implements Trigger {
        public String type() {
            return "timeline";
        }
    }

    /**
     * A schedule in the program's time zone: a cron expression entering everyone the participants query matches, or
     * {@code days_after} a date attribute (such as {@code created_at}, days since sign-up), checked daily at
     * {@code at}, entering those whose date was that many days ago.
     */
    record ScheduleTrigger(
            @Nullable CronExpression cron,
            @Nullable Integer daysAfter,
            @Nullable String dateAttribute) implements Trigger {
        public String type() {
            return "schedule";
        }
    }

    /** By hand: on publish (everyone the participants query matches, once), and through the participants API. */
    record ManualTrigger() implements Trigger {
        public String type() {
            return "manual";
        }
    }

    /** Who may take part: a CEL query over {@code customer}, a segment, both, or (neither) everyone triggered. */
    record Audience(@Nullable String query, @Nullable String segmentId) {}

    /**
     * Re-entry (may a customer who finished enter again), quiet hours (outbound steps wait for their end), the most
     * participants that start per hour, and the time zone of schedules, quiet hours and dates.
     */
    record Settings(
            boolean reEntry,
            @Nullable LocalTime quietStart,
            @Nullable LocalTime quietEnd,
            @Nullable Integer maxParticipantsPerHour,
            ZoneId timeZone,
            LocalTime at) {}

    // ---- steps ----------------------------------------------------------------------------------------------------

    /** What a step does when it fails: the participant fails, goes on to the next step, or goes to another step. */
    record OnFailure(String action, @Nullable String step) {
        static final OnFailure FAIL = new OnFailure("fail", null);
    }

    /** One node of the graph. */
    sealed interface Step {
        String id();

        String type();

        /** The steps this one can lead to. */
        List<String> successors();

        /** Whether it reaches outside (an HTTP call, a gift, a message), so waits for the end of quiet hours. */
        default boolean outbound() {
            return false;
        }

        /** Whether it changes data in the database, so runs in the transaction that records it. */
        default boolean local() {
            return false;
        }
    }

    /** A step with a next step and a failure rule. */
    sealed interface Acting extends Step {
        @Nullable
        String next();

        OnFailure onFailure();

        default List<String> successors() {
            var all = new ArrayList<String>();
            if (next() != null) {
                all.add(next());
            }
            if (onFailure().step() != null) {
                all.add(onFailure().step());
            }
            return all;
        }
    }

    /** Runs an external action with mapped variables; its outputs become {@code steps.<id>.outputs}. */
    record CallApi(
            String id,
            String actionId,
            Map<String, Object> mapping,
            @Nullable String next,
            OnFailure onFailure,
            int maxAttempts,
            Duration backoff)
            implements Acting {
        public String type() {
            return "call_api";
        }

        @Override
        public boolean outbound() {
            return true;
        }
    }

    /** Sends a catalog gift from a budget (the sender's own when none is named). */
    record SendGift(
            String id,
            String giftId,
            @Nullable String budgetId,
            @Nullable String message,
            @Nullable String campaign,
            @Nullable String next,
            OnFailure onFailure)
            implements Acting {
        public String type() {
            return "send_gift";
        }

        @Override
        public boolean outbound() {
            return true;
        }

        @Override
        public boolean local() {
            return true;
        }
    }

    /** Publishes a code of a campaign to the participant (the same one again when the campaign joins once). */
    record IssueCode(String id, String campaign, @Nullable String next, OnFailure onFailure) implements Acting {
        public String type() {
            return "issue_code";
        }

        @Override
        public boolean local() {
            return true;
        }
    }

    /** An e-mail from Liquid templates, to the participant or to a given address. */
    record SendMessage(
            String id,
            String to,
            String subject,
            String text,
            @Nullable String next,
            OnFailure onFailure) implements Acting {
        public String type() {
            return "send_message";
        }

        @Override
        public boolean outbound() {
            return true;
        }

        @Override
        public boolean local() {
            return true;
        }
    }

    /** A task for the account team: title, description and assignee are templates; due in N days. */
    record CreateTask(
            String id,
            String title,
            @Nullable String description,
            @Nullable String assignee,
            @Nullable Integer dueInDays,
            @Nullable String next,
            OnFailure onFailure)
            implements Acting {
        public String type() {
            return "create_task";
        }

        @Override
        public boolean local() {
            return true;
        }
    }

    /** Sets metadata fields of the customer (values are templates). */
    record UpdateCustomer(
            String id,
            Map<String, Object> metadata,
            @Nullable String next,
            OnFailure onFailure) implements Acting {
        public String type() {
            return "update_customer";
        }

        @Override
        public boolean local() {
            return true;
        }
    }

    /**
     * Waits for a duration, until a time, or until a date attribute of the customer (plus {@code offset_days}), at
     * the program's {@code at} time in its time zone.
     */
    record Wait(
            String id,
            @Nullable Duration duration,
            @Nullable Instant until,
            @Nullable String untilAttribute,
            int offsetDays,
            @Nullable String next)
            implements Step {
        public String type() {
            return "wait";
        }

        public List<String> successors() {
            return next == null ? List.of() : List.of(next);
        }
    }

    /**
     * Goes to {@code then} when the condition holds, else to {@code else}: a CEL condition over {@code customer},
     * {@code event}, {@code steps}, {@code previous} and {@code participant}, or "did the previous step succeed".
     */
    record Branch(
            String id,
            String condition,
            @Nullable String then,
            @Nullable String otherwise) implements Step {
        static final String PREVIOUS_SUCCEEDED = "previous.succeeded";

        public String type() {
            return "branch";
        }

        public List<String> successors() {
            var all = new ArrayList<String>();
            if (then != null) {
                all.add(then);
            }
            if (otherwise != null) {
                all.add(otherwise);
            }
            return all;
        }
    }

    /** Completes the participant. */
    record End(String id) implements Step {
        public String type() {
            return "end";
        }

        public List<String> successors() {
            return List.of();
        }
    }

    // ---- reading --------------------------------------------------------------------------------------------------

    static final List<String> STEP_VARIABLES = List.of("customer", "event", "steps", "previous", "participant");

    /**
     * Reads a definition from the fields of a program body ({@code trigger}, {@code participants}, {@code steps},
     * {@code start}, {@code settings}).
     *
     * @throws ApiException 422 naming every field that is wrong
     */
    static Definition read(JsonNode body, Expressions expressions, JsonMapper json) {
        var reader = new Reader(expressions, json);
        var definition = reader.definition(body);
        if (!reader.problems.isEmpty() || definition == null) {
            throw ApiException.invalid(
                    "The program is invalid: "
                            + reader.problems.entrySet().iterator().next().getKey() + " "
                            + reader.problems.values().iterator().next(),
                    reader.problems);
        }
        return definition;
    }

    /** The definition's own JSON, holding only the fields it knows, for storing and showing. */
    static ObjectNode source(JsonNode body, JsonMapper json) {
        var source = json.createObjectNode();
        for (var field : FIELDS) {
            if (body.has(field) && !body.get(field).isNull()) {
                source.set(field, body.get(field));
            }
        }
        return source;
    }

    private static final class Reader {
        final Map<String, String> problems = new LinkedHashMap<>();
        final Expressions expressions;
        final JsonMapper json;

        Reader(Expressions expressions, JsonMapper json) {
            this.expressions = expressions;
            this.json = json;
        }

        @Nullable
        Definition definition(JsonNode body) {
            var settings = settings(body.path("settings"));
            var trigger = trigger(body.path("trigger"));
            var audience = audience(body.path("participants"));
            var steps = steps(body.path("steps"));
            String start = null;
            if (body.path("start").isString()) {
                start = body.path("start").asString();
                if (!steps.containsKey(start)) {
                    problems.put("start", "names no step of the program");
                }
            } else if (body.has("start") && !body.get("start").isNull()) {
                problems.put("start", "must be the id of a step");
            } else if (!steps.isEmpty()) {
                start = steps.keySet().iterator().next();
            }
            for (var step : steps.values()) {
                for (var target : step.successors()) {
                    if (!steps.containsKey(target)) {
                        problems.put("steps." + step.id(), "leads to " + target + ", which is not a step");
                    }
                }
            }
            if (problems.isEmpty()) {
                checkAcyclic(steps);
            }
            if (trigger instanceof ScheduleTrigger schedule
                    && schedule.daysAfter() == null
                    && audience.query() == null
                    && audience.segmentId() == null) {
                problems.put("participants", "is required for a cron schedule: a query or a segment_id");
            }
            if (!problems.isEmpty() || trigger == null || start == null || settings == null) {
                return null;
            }
            return new Definition(trigger, audience, start, steps, settings);
        }

        private void checkAcyclic(Map<String, Step> steps) {
            var done = new HashSet<String>();
            var onPath = new HashSet<String>();
            for (var id : steps.keySet()) {
                if (cycleFrom(id, steps, done, onPath)) {
                    problems.put(
                            "steps", "must not loop: a participant would never finish (a cycle through " + id + ")");
                    return;
                }
            }
        }

        private boolean cycleFrom(String id, Map<String, Step> steps, Set<String> done, Set<String> onPath) {
            if (done.contains(id)) {
                return false;
            }
            if (!onPath.add(id)) {
                return true;
            }
            for (var next : steps.get(id).successors()) {
                if (cycleFrom(next, steps, done, onPath)) {
                    return true;
                }
            }
            onPath.remove(id);
            done.add(id);
            return false;
        }

        private @Nullable Trigger trigger(JsonNode node) {
            if (!node.isObject()) {
                problems.put(
                        "trigger",
                        "is required: an object with a type (event, segment, milestone, timeline,"
                                + " schedule or manual)");
                return null;
            }
            var type = node.path("type").asString("");
            return switch (type) {
                case "event" -> {
                    var event = required(node, "trigger.event", "event");
                    var condition = optional(node, "trigger.condition", "condition");
                    if (condition != null) {
                        compile("trigger.condition", condition, "event", "customer");
                    }
                    yield event == null ? null : new EventTrigger(event, condition);
                }
                case "segment" -> {
                    var segment = required(node, "trigger.segment_id", "segment_id");
                    yield segment == null ? null : new SegmentTrigger(segment);
                }
                case "milestone" -> {
                    var milestone = required(node, "trigger.milestone", "milestone");
                    yield milestone == null ? null : new MilestoneTrigger(milestone);
                }
                case "timeline" -> {
                    var activityType = required(node, "trigger.activity_type", "activity_type");
                    var name = optional(node, "trigger.name", "name");
                    Map<String, Object> options = Map.of();
                    if (node.has("options")) {
                        if (!node.get("options").isObject()) {
                            problems.put("trigger.options", "must be an object of values the entry must hold");
                        } else {
                            options = json.convertValue(node.get("options"), new TypeReference<>() {});
                        }
                    }
                    yield activityType == null ? null : new TimelineTrigger(activityType, name, options);
                }
                case "schedule" -> schedule(node);
                case "manual" -> new ManualTrigger();
                default -> {
                    problems.put("trigger.type", "must be event, segment, milestone, timeline, schedule or manual");
                    yield null;
                }
            };
        }

        private @Nullable Trigger schedule(JsonNode node) {
            var cron = optional(node, "trigger.cron", "cron");
            var daysAfter = node.path("days_after");
            if ((cron == null) == daysAfter.isMissingNode()) {
                problems.put("trigger", "a schedule needs either cron or days_after (with date_attribute)");
                return null;
            }
            if (cron != null) {
                try {
                    return new ScheduleTrigger(CronExpression.parse(cron), null, null);
                } catch (IllegalArgumentException e) {
                    problems.put(
                            "trigger.cron",
                            "is not a cron expression (six fields: second minute hour day month" + " weekday): "
                                    + e.getMessage());
                    return null;
                }
            }
            if (!daysAfter.isIntegralNumber() || daysAfter.asInt() < 0 || daysAfter.asInt() > 36_500) {
                problems.put("trigger.days_after", "must be a whole number of days, 0 or more");
                return null;
            }
            var attribute = required(node, "trigger.date_attribute", "date_attribute");
            if (attribute != null
                    && !attribute.equals("created_at")
                    && !attribute.equals("birthdate")
                    && !attribute.startsWith("metadata.")) {
                problems.put("trigger.date_attribute", "must be created_at, birthdate or metadata.<field>");
                return null;
            }
            return attribute == null ? null : new ScheduleTrigger(null, daysAfter.asInt(), attribute);
        }

        private Audience audience(JsonNode node) {
            if (node.isMissingNode() || node.isNull()) {
                return new Audience(null, null);
            }
            if (!node.isObject()) {
                problems.put("participants", "must be an object with a query (CEL over customer) or a segment_id");
                return new Audience(null, null);
            }
            var query = optional(node, "participants.query", "query");
            if (query != null) {
                compile("participants.query", query, "customer");
            }
            return new Audience(query, optional(node, "participants.segment_id", "segment_id"));
        }

        private @Nullable Settings settings(JsonNode node) {
            if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
                problems.put("settings", "must be an object");
                return null;
            }
            var reEntry = node.path("re_entry");
            if (!reEntry.isMissingNode() && !reEntry.isBoolean()) {
                problems.put("settings.re_entry", "must be true or false");
            }
            ZoneId zone = ZoneOffset.UTC;
            var zoneName = optional(node, "settings.time_zone", "time_zone");
            if (zoneName != null) {
                try {
                    zone = ZoneId.of(zoneName);
                } catch (DateTimeException e) {
                    problems.put("settings.time_zone", "must be a time zone such as Europe/Berlin or UTC");
                }
            }
            LocalTime quietStart = null;
            LocalTime quietEnd = null;
            var quiet = node.path("quiet_hours");
            if (quiet.isObject()) {
                quietStart = time(quiet, "settings.quiet_hours.start", "start");
                quietEnd = time(quiet, "settings.quiet_hours.end", "end");
                if (quietStart == null || quietEnd == null) {
                    problems.putIfAbsent("settings.quiet_hours", "needs start and end, such as 21:00 and 08:00");
                }
            } else if (!quiet.isMissingNode() && !quiet.isNull()) {
                problems.put("settings.quiet_hours", "must be an object with start and end, such as 21:00 and 08:00");
            }
            Integer perHour = null;
            var max = node.path("max_participants_per_hour");
            if (!max.isMissingNode() && !max.isNull()) {
                if (!max.isIntegralNumber() || max.asInt() < 1) {
                    problems.put("settings.max_participants_per_hour", "must be a whole number, 1 or more");
                } else {
                    perHour = max.asInt();
                }
            }
            var at = node.has("at") ? time(node, "settings.at", "at") : LocalTime.of(9, 0);
            return new Settings(
                    reEntry.asBoolean(false),
                    quietStart,
                    quietEnd,
                    perHour,
                    zone,
                    at == null ? LocalTime.of(9, 0) : at);
        }

        private Map<String, Step> steps(JsonNode node) {
            var steps = new LinkedHashMap<String, Step>();
            if (!node.isArray() || node.isEmpty()) {
                problems.put("steps", "is required: a list of steps, each with an id and a type");
                return steps;
            }
            if (node.size() > 100) {
                problems.put("steps", "must hold at most 100 steps");
                return steps;
            }
            for (int i = 0; i < node.size(); i++) {
                var stepNode = node.get(i);
                var path = "steps[" + i + "]";
                if (!stepNode.isObject()) {
                    problems.put(path, "must be an object with an id and a type");
                    continue;
                }
                var id = stepNode.path("id").asString("");
                if (!STEP_ID.matcher(id).matches()) {
                    problems.put(path + ".id", "must be 1 to 64 letters, digits, _ or -");
                    continue;
                }
                if (steps.containsKey(id)) {
                    problems.put(path + ".id", "is used by another step");
                    continue;
                }
                // A step without next goes on to the one listed after it, as a list of steps reads.
                var following = i + 1 < node.size() ? node.get(i + 1).path("id").asString(null) : null;
                var step = step(stepNode, "steps." + id, id, following);
                if (step != null) {
                    steps.put(id, step);
                }
            }
            return steps;
        }

        private @Nullable Step step(JsonNode node, String path, String id, @Nullable String following) {
            var type = node.path("type").asString("");
            String next = node.has("next") ? optional(node, path + ".next", "next") : following;
            var onFailure = onFailure(node, path);
            return switch (type) {
                case "call_api" -> {
                    var action = required(node, path + ".action_id", "action_id");
                    Map<String, Object> mapping = Map.of();
                    if (node.has("mapping")) {
                        if (!node.get("mapping").isObject()) {
                            problems.put(
                                    path + ".mapping", "must be an object of variable names to values or templates");
                        } else {
                            mapping = json.convertValue(node.get("mapping"), new TypeReference<>() {});
                        }
                    }
                    var retry = node.path("retry");
                    int attempts = retry.path("max_attempts").asInt(3);
                    if (attempts < 1 || attempts > 20) {
                        problems.put(path + ".retry.max_attempts", "must be from 1 to 20");
                    }
                    var backoff = retry.has("backoff")
                            ? duration(retry.get("backoff"), path + ".retry.backoff")
                            : Duration.ofMinutes(1);
                    yield action == null || backoff == null
                            ? null
                            : new CallApi(id, action, mapping, next, onFailure, attempts, backoff);
                }
                case "send_gift" -> {
                    var gift = required(node, path + ".gift_id", "gift_id");
                    yield gift == null
                            ? null
                            : new SendGift(
                                    id,
                                    gift,
                                    optional(node, path + ".budget_id", "budget_id"),
                                    optional(node, path + ".message", "message"),
                                    optional(node, path + ".campaign", "campaign"),
                                    next,
                                    onFailure);
                }
                case "issue_code" -> {
                    var campaign = required(node, path + ".campaign", "campaign");
                    yield campaign == null ? null : new IssueCode(id, campaign, next, onFailure);
                }
                case "send_message" -> {
                    var subject = required(node, path + ".subject", "subject");
                    var text = required(node, path + ".text", "text");
                    var to = node.has("to") ? required(node, path + ".to", "to") : "{{ customer.email }}";
                    yield subject == null || text == null || to == null
                            ? null
                            : new SendMessage(id, to, subject, text, next, onFailure);
                }
                case "create_task" -> {
                    var title = required(node, path + ".title", "title");
                    Integer due = null;
                    if (node.has("due_in_days")) {
                        var days = node.get("due_in_days");
                        if (!days.isIntegralNumber() || days.asInt() < 0 || days.asInt() > 3650) {
                            problems.put(path + ".due_in_days", "must be a whole number of days from 0 to 3650");
                        } else {
                            due = days.asInt();
                        }
                    }
                    yield title == null
                            ? null
                            : new CreateTask(
                                    id,
                                    title,
                                    optional(node, path + ".description", "description"),
                                    optional(node, path + ".assignee", "assignee"),
                                    due,
                                    next,
                                    onFailure);
                }
                case "update_customer" -> {
                    var metadata = node.path("metadata");
                    if (!metadata.isObject() || metadata.isEmpty()) {
                        problems.put(path + ".metadata", "is required: an object of metadata fields to set");
                        yield null;
                    }
                    yield new UpdateCustomer(
                            id, json.convertValue(metadata, new TypeReference<>() {}), next, onFailure);
                }
                case "wait" -> wait(node, path, id, next);
                case "branch" -> {
                    String condition;
                    if (node.path("if").asString("").equals("previous_succeeded")) {
                        condition = Branch.PREVIOUS_SUCCEEDED;
                    } else {
                        condition = required(node, path + ".condition", "condition");
                        if (condition == null) {
                            problems.put(
                                    path + ".condition",
                                    "is required: a CEL condition, or \"if\":" + " \"previous_succeeded\"");
                            yield null;
                        }
                    }
                    compile(path + ".condition", condition, STEP_VARIABLES.toArray(String[]::new));
                    var then = optional(node, path + ".then", "then");
                    var otherwise = optional(node, path + ".else", "else");
                    yield new Branch(id, condition, then, otherwise);
                }
                case "end" -> new End(id);
                default -> {
                    problems.put(
                            path + ".type",
                            "must be call_api, send_gift, issue_code, send_message, create_task,"
                                    + " update_customer, wait, branch or end");
                    yield null;
                }
            };
        }

        private @Nullable Step wait(JsonNode node, String path, String id, @Nullable String next) {
            Duration duration = null;
            Instant until = null;
            String attribute = null;
            int given = 0;
            if (node.has("duration")) {
                given++;
                duration = duration(node.get("duration"), path + ".duration");
            }
            if (node.has("until")) {
                given++;
                try {
                    until = Instant.parse(node.get("until").asString(""));
                } catch (DateTimeParseException e) {
                    problems.put(path + ".until", "must be an ISO 8601 time such as 2026-12-01T09:00:00Z");
                }
            }
            if (node.has("until_attribute")) {
                given++;
                attribute = optional(node, path + ".until_attribute", "until_attribute");
                if (attribute != null && !attribute.startsWith("metadata.") && !attribute.equals("birthdate")) {
                    problems.put(path + ".until_attribute", "must be birthdate or metadata.<field> (a date)");
                }
            }
            if (given != 1) {
                problems.put(
                        path,
                        "a wait needs one of duration (\"14d\", \"2h\", \"PT30M\"), until or" + " until_attribute");
                return null;
            }
            int offset = node.path("offset_days").asInt(0);
            return problems.containsKey(path + ".duration") || problems.containsKey(path + ".until")
                    ? null
                    : new Wait(id, duration, until, attribute, offset, next);
        }

        private OnFailure onFailure(JsonNode node, String path) {
            var value = node.path("on_failure");
            if (value.isMissingNode() || value.isNull()) {
                return OnFailure.FAIL;
            }
            var text = value.asString("");
            return switch (text) {
                case "fail" -> OnFailure.FAIL;
                case "continue" -> new OnFailure("continue", null);
                default -> {
                    if (!STEP_ID.matcher(text).matches()) {
                        problems.put(path + ".on_failure", "must be fail, continue or the id of a step");
                    }
                    yield new OnFailure("goto", text);
                }
            };
        }

        private @Nullable Duration duration(JsonNode node, String path) {
            var text = node.asString("").trim();
            var matcher = DURATION.matcher(text);
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            try {
                var duration = Duration.parse(text);
                if (!duration.isNegative()) {
                    return duration;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            problems.put(path, "must be a duration such as 0s, 30m, 2h, 14d or PT30M");
            return null;
        }

        private @Nullable LocalTime time(JsonNode node, String path, String field) {
            try {
                return LocalTime.parse(node.path(field).asString(""));
            } catch (DateTimeParseException e) {
                problems.put(path, "must be a time of day such as 21:00");
                return null;
            }
        }

        private void compile(String path, String source, String... variables) {
            if (source.equals(Branch.PREVIOUS_SUCCEEDED) && variables.length > 1) {
                return;
            }
            try {
                expressions.predicate(source, variables);
            } catch (ApiException e) {
                problems.put(path, e.getMessage());
            }
        }

        private @Nullable String required(JsonNode node, String path, String field) {
            var value = node.path(field);
            if (!value.isString() || value.asString().isBlank()) {
                problems.put(path, "is required");
                return null;
            }
            return value.asString();
        }

        private @Nullable String optional(JsonNode node, String path, String field) {
            var value = node.path(field);
            if (value.isMissingNode() || value.isNull()) {
                return null;
            }
            if (!value.isString() || value.asString().isBlank()) {
                problems.put(path, "must be a non-empty string");
                return null;
            }
            return value.asString();
        }
    }
}
