package io.bestow.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@BestowTest
class CustomerImportIntegrationTests {

    static final String GOOD_AND_BAD = """
            source_id,name,email,address_country,metadata.tier
            crm-1,"Doe, Jane",jane@example.com,DE,gold
            crm-2,Bob,not-an-email,DE,gold
            crm-3,Ragged,ragged@example.com
            ,No Source,nosource@example.com,FR,basic
            crm-4,"Multi
            Line",multi@example.com,XX,basic
            crm-5,Eve,eve@example.com,fr,basic
            """;

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @Test
    void importsGoodRowsAndReportsBadOnesWithTheirLines() {
        var tenant = fixtures.tenant(port);
        var api = tenant.api();
        api.post("/v1/segments", "{\"name\": \"Gold\", \"filter\": \"customer.metadata.tier == 'gold'\"}");

        var action = importCsv(api, GOOD_AND_BAD);
        assertThat(action.get("status").asString()).isEqualTo("DONE");
        assertThat(action.get("object").asString()).isEqualTo("async_action");
        assertThat(action.get("progress").asInt()).isEqualTo(100);
        var result = action.get("result");
        assertThat(result.get("created").asInt()).isEqualTo(2);
        assertThat(result.get("failed").asInt()).isEqualTo(4);
        assertThat(action.get("rows_done").asInt()).isEqualTo(2);
        assertThat(action.get("rows_failed").asInt()).isEqualTo(4);
        var errors = result.get("errors");
        assertThat(errors.findValues("line").stream().map(JsonNode::asInt)).containsExactly(3, 4, 5, 6);
        assertThat(errors.get(0).get("fields").get("email").asString()).contains("e-mail");
        assertThat(errors.get(1).get("reason").asString()).contains("3 fields");
        assertThat(errors.get(2).get("reason").asString()).contains("source_id");
        assertThat(errors.get(3).get("fields").get("address.country").asString())
                .contains("ISO");

        var jane = api.get("/v1/customers/crm-1").json();
        assertThat(jane.get("name").asString()).isEqualTo("Doe, Jane");
        assertThat(jane.get("metadata").get("tier").asString()).isEqualTo("gold");
        assertThat(api.get("/v1/customers/crm-5")
                        .json()
                        .get("address")
                        .get("country")
                        .asString())
                .isEqualTo("FR");
        assertThat(api.get("/v1/customers").json().get("total").asInt()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(api.get("/v1/events?type=customer.created")
                            .json()
                            .get("total")
                            .asInt())
                    .isEqualTo(2);
            assertThat(api.get("/v1/events?type=customer.segment.entered")
                            .json()
                            .get("total")
                            .asInt())
                    .isEqualTo(1);
        });
    }

    @Test
    void reimportingChangesOnlyWhatDiffersAndKeepsWhatIsEmpty() {
        var api = fixtures.tenant(port).api();
        importCsv(api, "source_id,name,email\na,Ann,ann@example.com\nb,Ben,ben@example.com\n");
        var again = importCsv(api, "source_id,name,email\na,Ann,ann@example.com\nb,Benjamin,\n")
                .get("result");
        assertThat(again.get("created").asInt()).isZero();
        assertThat(again.get("updated").asInt()).isEqualTo(1);
        assertThat(again.get("unchanged").asInt()).isEqualTo(1);
        var ben = api.get("/v1/customers/b").json();
        assertThat(ben.get("name").asString()).isEqualTo("Benjamin");
        assertThat(ben.get("email").asString()).isEqualTo("ben@example.com");
    }

    @Test
    void batchesImportedTogetherKeepTheFilesOrderForARepeatedSourceId() {
        var api = fixtures.tenant(port).api();
        var csv = new StringBuilder("source_id,name\n");
        // Three batches: the repeated customer is in the first and the second, which would otherwise run at once.
        for (int i = 0; i < CustomerImport.BATCH * 3; i++) {
            var sourceId = i == 10 || i == CustomerImport.BATCH + 10 ? "repeated" : "bulk-" + i;
            csv.append(sourceId).append(",Name ").append(i).append('\n');
        }
        var action = importCsv(api, csv.toString());
        assertThat(action.get("status").asString()).isEqualTo("DONE");
        assertThat(action.get("rows_done").asLong()).isEqualTo(CustomerImport.BATCH * 3L);
        assertThat(action.get("result").get("created").asLong()).isEqualTo(CustomerImport.BATCH * 3L - 1);
        assertThat(action.get("result").get("updated").asLong()).isEqualTo(1);
        assertThat(api.get("/v1/customers/repeated").json().get("name").asString())
                .isEqualTo("Name " + (CustomerImport.BATCH + 10));
    }

    @Test
    void aWrongHeaderFailsTheActionAndImportsNothing() {
        var api = fixtures.tenant(port).api();
        var unknown = importCsv(api, "source_id,nickname\na,Al\n");
        assertThat(unknown.get("status").asString()).isEqualTo("FAILED");
        assertThat(unknown.get("result").get("error").asString()).contains("unknown columns [nickname]");
        var noSource = importCsv(api, "name,email\nAl,al@example.com\n");
        assertThat(noSource.get("result").get("error").asString()).contains("source_id");
        assertThat(api.get("/v1/customers").json().get("total").asInt()).isZero();
    }

    @Test
    void aFileThatIsNotUtf8FailsTheActionAndImportsNothing() {
        var api = fixtures.tenant(port).api();
        var latin1 = "source_id,name\nm1,Müller\n".getBytes(StandardCharsets.ISO_8859_1);
        var action = awaitDone(api, api.upload("/v1/customers/importCSV", "file", "c.csv", latin1));
        assertThat(action.get("status").asString()).isEqualTo("FAILED");
        assertThat(action.get("result").get("error").asString()).contains("not UTF-8");
        assertThat(api.get("/v1/customers").json().get("total").asInt()).isZero();
    }

    @Test
    void anUnclosedQuoteStopsTheImportThereAndSaysSo() {
        var api = fixtures.tenant(port).api();
        var action = importCsv(api, "source_id,name\nq1,Quinn\nq2,\"never closed\n");
        assertThat(action.get("status").asString()).isEqualTo("FAILED");
        assertThat(action.get("result").get("error").asString()).contains("line 3");
        assertThat(action.get("result").get("created").asInt()).isEqualTo(1);
        assertThat(api.get("/v1/customers/q1").status()).isEqualTo(200);
    }

    @Test
    void exportsCsvThatImportsBackUnchanged() {
        var api = fixtures.tenant(port).api();
        importCsv(api, GOOD_AND_BAD);
        var segment = api.post("/v1/segments", "{\"name\": \"FR\", \"filter\": \"customer.address.country == 'FR'\"}")
                .json()
                .get("id")
                .asString();

        var export = api.get("/v1/customers/export");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.header("Content-Type")).startsWith("text/csv");
        var lines = export.body().split("\r\n");
        assertThat(lines[0]).startsWith("id,source_id,name,");
        assertThat(lines).hasSize(3);
        assertThat(export.body()).contains("\"Doe, Jane\"", "\"{\"\"tier\"\":\"\"gold\"\"}\"");

        var frOnly =
                api.get("/v1/customers/export?segment_id=" + segment).body().split("\r\n");
        assertThat(frOnly).hasSize(2);
        assertThat(frOnly[1]).contains("crm-5");

        var reimported = importCsv(api, export.body()).get("result");
        assertThat(reimported.get("unchanged").asInt()).isEqualTo(2);
        assertThat(reimported.get("failed").asInt()).isZero();
    }

    private JsonNode importCsv(TestApi api, String csv) {
        var accepted =
                api.upload("/v1/customers/importCSV", "file", "customers.csv", csv.getBytes(StandardCharsets.UTF_8));
        return awaitDone(api, accepted);
    }

    private static JsonNode awaitDone(TestApi api, TestApi.Response accepted) {
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        var id = accepted.json().get("async_action_id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var status = api.get("/v1/async-actions/" + id).json().get("status").asString();
            return status.equals("DONE") || status.equals("FAILED");
        });
        return api.get("/v1/async-actions/" + id).json();
    }
}
