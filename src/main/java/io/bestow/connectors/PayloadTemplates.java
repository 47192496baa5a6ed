package io.bestow.connectors;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liqp.Template;
import liqp.TemplateContext;
import liqp.TemplateParser;
import liqp.exceptions.VariableNotExistException;
import liqp.filters.Filter;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders Liquid templates over a call's variables. Variables are strict: a template that names a variable the call
 * does not have fails instead of sending an empty value. JSON payloads are rendered JSON-safe: every output tag's
 * value is escaped for a JSON string ({@code "{{ customer.name }}"} stays valid whatever the name holds), except
 * where the tag ends in {@code | json}, which writes the value as JSON ({@code {{ customer.metadata | json }}}).
 */
@Component
class PayloadTemplates {

    /** A template that cannot be parsed or rendered, with Liquid's reason. */
    static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message, null, false, false);
        }
    }

    private static final Pattern OUTPUT = Pattern.compile("\\{\\{(-?)(.*?)(-?)}}", Pattern.DOTALL);
    private static final Pattern ENDS_IN_JSON = Pattern.compile("\\|\\s*json\\s*$");

    private static final int MAX_PARSED = 1_000;
    /**
     * How many parsed copies of one template are kept: as many as renders of it can be under way at once (a program's
     * runners render for every participant of their batches side by side). A copy of a payload takes about 25 KB.
     */
    private static final int POOLED_PER_TEMPLATE = 256;

    /**
     * Where renders run under their time limit. Liquid would otherwise start a thread of its own for every render,
     * which costs far more than rendering.
     */
    private static final ExecutorService RENDERING = Executors.newVirtualThreadPerTaskExecutor();

    private final Map<String, Queue<Template>> strictParsed = new ConcurrentHashMap<>();
    private final Map<String, Queue<Template>> placeholderParsed = new ConcurrentHashMap<>();
    private final TemplateParser strict;
    private final TemplateParser placeholders;
    private final JsonMapper json;

    PayloadTemplates(JsonMapper json) {
        this.json = json;
        this.strict = parser(true, new JsonEscape(false));
        this.placeholders = parser(false, new JsonEscape(true));
    }

    private static TemplateParser parser(boolean strictVariables, Filter escape) {
        return new TemplateParser.Builder()
                .withStrictVariables(strictVariables)
                .withErrorMode(TemplateParser.ErrorMode.STRICT)
                .withFilter(escape)
                .withMaxRenderTimeMillis(1_000)
                .withMaxIterations(10_000)
                .withMaxSizeRenderedString(1_000_000)
                .build();
    }

    /** A URL, header or query value: the template's text as it renders. */
    String text(String template, Map<String, Object> variables) {
        return render(strict, template, variables);
    }

    /** A JSON payload, rendered JSON-safe; fails when the result does not parse as JSON. */
    String json(String template, Map<String, Object> variables) {
        var rendered = render(strict, jsonSafe(template), variables);
        checkJson(rendered);
        return rendered;
    }

    /**
     * Checks that a template parses and, for a JSON payload, that it renders as JSON: with the sample variables when
     * there are some, else with every variable standing for {@code 0} (which is valid JSON both inside and outside
     * quotes).
     */
    void check(String template, boolean isJson, Map<String, Object> sample) {
        if (!isJson) {
            render(sample.isEmpty() ? placeholders : strict, template, sample);
            return;
        }
        var rendered = render(sample.isEmpty() ? placeholders : strict, jsonSafe(template), sample);
        checkJson(rendered);
    }

    private void checkJson(String rendered) {
        try {
            json.readTree(rendered);
        } catch (JacksonException e) {
            var location = e.getLocation();
            throw new Failed("The payload does not render as JSON"
                    + (location == null
                            ? ""
                            : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")")
                    + ": " + e.getOriginalMessage());
        }
    }

    private String render(TemplateParser parser, String template, Map<String, Object> variables) {
        var pool = pool(parser, template);
        var parsed = pool.poll();
        try {
            if (parsed == null) {
                parsed = parser.parse(template);
            }
            var rendered = parsed.render(variables, RENDERING, false);
            if (pool.size() < POOLED_PER_TEMPLATE) {
                pool.offer(parsed);
            }
            return rendered;
        } catch (RuntimeException e) {
            // A render past its time limit may still be running on the template: it is not used again.
            throw new Failed("The template cannot be rendered: " + reason(e));
        }
    }

    /**
     * Parsed copies of the template, each used by one render at a time: parsing costs far more than rendering, and a
     * program renders the same templates for every participant, but a Liquid template keeps the state of the render
     * under way, so two renders at once need two copies.
     */
    private Queue<Template> pool(TemplateParser parser, String template) {
        var pools = parser == strict ? strictParsed : placeholderParsed;
        var found = pools.get(template);
        if (found != null) {
            return found;
        }
        if (pools.size() >= MAX_PARSED) {
            pools.clear();
        }
        return pools.computeIfAbsent(template, key -> new ConcurrentLinkedQueue<>());
    }

    /** Liquid's own reason, which it may wrap in a generic message. */
    private static String reason(Throwable failure) {
        String reason = failure.getMessage();
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().startsWith("Oops")) {
                reason = cause.getMessage();
                if (cause instanceof VariableNotExistException) {
                    break;
                }
            }
        }
        return reason == null ? failure.getClass().getSimpleName() : reason;
    }

    /** Adds the escaping filter to every output tag that does not write JSON itself. */
    static String jsonSafe(String template) {
        Matcher matcher = OUTPUT.matcher(template);
        var result = new StringBuilder();
        while (matcher.find()) {
            var expression = matcher.group(2).strip();
            var replacement = ENDS_IN_JSON.matcher(expression).find()
                    ? matcher.group()
                    : "{{" + matcher.group(1) + " " + expression + " | json_escape " + matcher.group(3) + "}}";
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /**
     * {@code json_escape}: the value as Liquid writes it, escaped for the inside of a JSON string; maps and lists as
     * JSON. With {@code placeholders}, a missing value stands for {@code 0}.
     */
    private final class JsonEscape extends Filter {
        private final boolean placeholders;

        JsonEscape(boolean placeholders) {
            super("json_escape");
            this.placeholders = placeholders;
        }

        @Override
        public Object apply(@Nullable Object value, TemplateContext context, Object... params) {
            if (value == null) {
                return placeholders ? "0" : "";
            }
            if (value instanceof Map<?, ?>
                    || value instanceof Iterable<?>
                    || value.getClass().isArray()) {
                return json.writeValueAsString(value);
            }
            var text = asString(value, context);
            var quoted = json.writeValueAsString(text);
            return quoted.substring(1, quoted.length() - 1);
        }
    }
}
