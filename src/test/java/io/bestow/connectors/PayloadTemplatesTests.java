package io.bestow.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PayloadTemplatesTests {

    private final JsonMapper json = JsonMapper.builder().build();
    private final PayloadTemplates templates = new PayloadTemplates(json);

    @Test
    void escapesValuesForJsonStrings() {
        var name = "Ann \"A\" \\ O'Neil\n\t😀 </script>";
        var rendered = templates.json(
                "{\"name\": \"{{ customer.name }}\", \"upper\": \"{{ customer.name | upcase }}\"}",
                Map.of("customer", Map.of("name", name)));
        var parsed = json.readTree(rendered);
        assertThat(parsed.get("name").asString()).isEqualTo(name);
        assertThat(parsed.get("upper").asString()).isEqualTo(name.toUpperCase());
    }

    @Test
    void rendersOneTemplateForManyCallersAtOnceEachWithItsOwnVariables() throws Exception {
        var template = "{\"email\": \"{{ customer.email }}\", \"n\": {{ n }}}";
        try (var callers = Executors.newFixedThreadPool(8)) {
            var renders = new ArrayList<Future<String>>();
            for (int i = 0; i < 4_000; i++) {
                int n = i;
                renders.add(callers.submit(() -> templates.json(
                        template, Map.of("customer", Map.of("email", "c" + n + "@example.com"), "n", n))));
            }
            for (int i = 0; i < renders.size(); i++) {
                assertThat(renders.get(i).get()).isEqualTo("{\"email\": \"c" + i + "@example.com\", \"n\": " + i + "}");
            }
        }
    }

    @Test
    void writesJsonValuesWhereTheTagEndsInJson() {
        var rendered = templates.json(
                "{\"meta\": {{ customer.metadata | json }}, \"amount\": {{ order.amount }}, \"tags\": {{ tags }}}",
                Map.of(
                        "customer", Map.of("metadata", Map.of("tier", "gold\"")),
                        "order", Map.of("amount", 1250),
                        "tags", List.of("a", "b")));
        var parsed = json.readTree(rendered);
        assertThat(parsed.get("meta").get("tier").asString()).isEqualTo("gold\"");
        assertThat(parsed.get("amount").asInt()).isEqualTo(1250);
        assertThat(parsed.get("tags").get(1).asString()).isEqualTo("b");
    }

    @Test
    void failsOnAMissingVariableInsteadOfSendingNothing() {
        assertThatThrownBy(() -> templates.json("{\"a\": \"{{ customer.email }}\"}", Map.of("customer", Map.of())))
                .isInstanceOf(PayloadTemplates.Failed.class)
                .hasMessageContaining("customer.email");
    }

    @Test
    void checksThatAPayloadRendersAsJsonWithPlaceholdersOrTheSample() {
        templates.check("{\"amount\": {{ order.amount }}, \"name\": \"{{ customer.name }}\"}", true, Map.of());
        assertThatThrownBy(() -> templates.check("{\"amount\": {{ order.amount }}", true, Map.of()))
                .isInstanceOf(PayloadTemplates.Failed.class)
                .hasMessageContaining("does not render as JSON");
        assertThatThrownBy(() -> templates.check("{% if %}", false, Map.of()))
                .isInstanceOf(PayloadTemplates.Failed.class);
    }
}
