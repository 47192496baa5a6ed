package io.bestow.shared;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Compiles CEL (Common Expression Language) predicates for rules and filters, such as
 * {@code customer.metadata.tier == 'gold' && customer.address.country == 'DE'}. Each distinct expression is compiled
 * once and cached; evaluation is side-effect free and bounded by the language itself.
 */
@Component
public class Expressions {

    private static final int MAX_LENGTH = 4096;
    private static final int MAX_CACHED = 10_000;

    private final Map<String, Expression> compiled = new ConcurrentHashMap<>();

    /**
     * Compiles a predicate over the given variables, each a dynamic value (maps, lists, strings, numbers).
     *
     * @throws ApiException 422 {@code invalid_expression} naming the line and column of each problem
     */
    public Expression predicate(String source, String... variables) {
        if (source.isBlank() || source.length() > MAX_LENGTH) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "invalid_expression",
                    "The expression must be 1 to " + MAX_LENGTH + " characters",
                    null);
        }
        var key = String.join(",", variables) + "\n" + source;
        var cached = compiled.get(key);
        if (cached != null) {
            return cached;
        }
        var expression = compile(source, variables);
        if (compiled.size() >= MAX_CACHED) {
            compiled.clear();
        }
        compiled.put(key, expression);
        return expression;
    }

    private static Expression compile(String source, String... variables) {
        var builder = CelFactory.standardCelBuilder().setStandardMacros(CelStandardMacro.STANDARD_MACROS);
        Arrays.stream(variables).forEach(name -> builder.addVar(name, SimpleType.DYN));
        Cel cel = builder.build();
        try {
            var ast = cel.compile(source).getAst();
            var type = ast.getResultType();
            if (!type.equals(SimpleType.BOOL) && !type.equals(SimpleType.DYN)) {
                throw new ApiException(
                        HttpStatus.UNPROCESSABLE_ENTITY,
                        "invalid_expression",
                        "The expression must evaluate to true or false, not " + type.name(),
                        Map.of("expression", source));
            }
            return new Expression(source, cel.createProgram(ast));
        } catch (CelValidationException e) {
            var errors = e.getErrors().stream().map(Expressions::describe).toList();
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "invalid_expression",
                    "The expression is not valid CEL: " + errors.getFirst().get("message"),
                    Map.of("expression", source, "errors", errors));
        } catch (CelEvaluationException e) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "invalid_expression",
                    "The expression cannot run: " + e.getMessage());
        }
    }

    private static Map<String, Object> describe(CelIssue issue) {
        var location = issue.getSourceLocation();
        var error = new LinkedHashMap<String, Object>();
        error.put("message", issue.getMessage());
        error.put("line", location.getLine());
        error.put("column", location.getColumn() + 1);
        return error;
    }

    /** A compiled predicate. */
    public static final class Expression {

        private final String source;
        private final dev.cel.runtime.Program program;

        private Expression(String source, dev.cel.runtime.Program program) {
            this.source = source;
            this.program = program;
        }

        public String source() {
            return source;
        }

        /**
         * Whether the predicate holds. An error while evaluating (a missing key, a type mismatch) counts as
         * {@code false}, so that a filter over incomplete data simply does not match.
         */
        public boolean test(Map<String, ?> variables) {
            try {
                return Boolean.TRUE.equals(program.eval(normalize(variables)));
            } catch (CelEvaluationException e) {
                return false;
            }
        }

        /** CEL knows 64-bit integers and doubles only; JSON parsers produce narrower and wider numbers too. */
        @SuppressWarnings("unchecked")
        private static <T> T normalize(T value) {
            return (T)
                    switch (value) {
                        case Integer i -> i.longValue();
                        case Short s -> s.longValue();
                        case Byte b -> b.longValue();
                        case BigInteger b -> b.longValue();
                        case Float f -> f.doubleValue();
                        case BigDecimal d -> d.doubleValue();
                        case Map<?, ?> map -> {
                            var copy = new LinkedHashMap<Object, Object>();
                            map.forEach((k, v) -> {
                                if (v != null) {
                                    copy.put(k, normalize(v));
                                }
                            });
                            yield copy;
                        }
                        case List<?> list -> {
                            var copy = new ArrayList<Object>(list.size());
                            list.forEach(v -> copy.add(v == null ? null : normalize(v)));
                            yield copy;
                        }
                        default -> value;
                    };
        }
    }
}
