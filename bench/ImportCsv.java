/*
 * Bestow CSV import benchmark: times one large customer import end to end, with no dependencies beyond the JDK
 * (Java 21+). Target: 1,000,000 rows in under 60 s, with the app's heap limited to 512 MB (bench/run starts it so).
 *
 * Run it in source-file mode (bench/run does this for you, as its last step):
 *
 *   java bench/ImportCsv.java --base-url http://127.0.0.1:8080 --app-id APP --app-token TOKEN \
 *        [--rows 1000000] [--timeout 1800] [--json-out FILE]
 *
 * 1. Writes a CSV of `rows` new customers to a temporary file, one row at a time (not timed):
 *      source_id,name,first_name,last_name,email,address_city,address_country,metadata.tier
 *      imp-1,Name 1,First,Last,u1@import.local,Berlin,DE,silver
 * 2. Uploads it as the multipart/form-data field `file` to POST /v1/customers/importCSV, streaming it from the file,
 *    and expects 202 {"async_action_id": "aa_..."}. The app stores and checks the whole file before it answers.
 * 3. Polls GET /v1/async-actions/{id} every 500 ms until its status is DONE or FAILED.
 *
 * It prints the rows, the upload time (request sent to 202 received), the processing time (the action's
 * processing_time: job start to finish), the total time (upload start until the poll that saw the final status, so
 * it also includes the wait for the job to start and up to one poll interval), rows/s over the total time, and the
 * final status, and writes them as JSON to `--json-out`. It exits with status 2 when the import failed, reported
 * failed rows, did not import every row, or did not finish within `--timeout` seconds.
 */

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

public class ImportCsv {

    static final String HEADER = "source_id,name,first_name,last_name,email,address_city,address_country,metadata.tier";
    static final String[] TIERS = {"gold", "silver", "basic"};
    /** The target: TARGET_ROWS rows in under TARGET_SECONDS; other row counts have none. */
    static final long TARGET_ROWS = 1_000_000;
    static final double TARGET_SECONDS = 60;
    static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(10);

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        var api = new Api(options);
        var csv = Files.createTempFile("bestow-import-", ".csv");
        Result result;
        try {
            long generateStart = System.nanoTime();
            writeCsv(csv, options.rows());
            double generateSeconds = secondsSince(generateStart);
            System.out.printf(
                    Locale.ROOT,
                    "import: wrote %d rows (%.1f MB) in %.1f s; uploading%n",
                    options.rows(),
                    Files.size(csv) / 1e6,
                    generateSeconds);
            result = importFile(api, csv, options);
        } finally {
            Files.deleteIfExists(csv);
        }
        System.out.println(result.summary());
        result.errors().stream().limit(5).forEach(error -> System.out.println("    error: " + error));
        if (options.jsonOut() != null) {
            Files.writeString(options.jsonOut(), result.json());
        }
        if (!result.ok()) {
            System.exit(2);
        }
    }

    /** Writes the header and `rows` customers, streaming: memory use does not grow with the row count. */
    static void writeCsv(Path file, long rows) throws IOException {
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (long i = 1; i <= rows; i++) {
                out.write("imp-" + i + ",Name " + i + ",First,Last,u" + i + "@import.local,Berlin,DE,"
                        + TIERS[(int) (i % TIERS.length)] + "\n");
            }
        }
    }

    /** Uploads the file, then polls its async action until it is DONE or FAILED (or the timeout passes). */
    static Result importFile(Api api, Path csv, Options options) throws IOException, InterruptedException {
        long start = System.nanoTime();
        var actionId = api.upload(csv);
        double uploadSeconds = secondsSince(start);
        System.out.printf(Locale.ROOT, "import: uploaded in %.1f s, async action %s%n", uploadSeconds, actionId);

        long deadline = start + options.timeout().toNanos();
        long nextReport = System.nanoTime() + PROGRESS_EVERY.toNanos();
        Map<String, Object> action;
        while (true) {
            action = api.action(actionId);
            var status = (String) action.get("status");
            if ("DONE".equals(status) || "FAILED".equals(status)) {
                break;
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                System.out.printf("import: no final status after %d s, giving up%n", options.timeout().toSeconds());
                break;
            }
            if (now >= nextReport) {
                System.out.printf(
                        Locale.ROOT,
                        "import: %5.1f s  %-11s %3d%%  rows_done %d%n",
                        secondsSince(start),
                        status,
                        number(action, "progress"),
                        number(action, "rows_done"));
                nextReport = now + PROGRESS_EVERY.toNanos();
            }
            Thread.sleep(POLL_INTERVAL);
        }
        return Result.of(options.rows(), action, uploadSeconds, secondsSince(start));
    }

    static double secondsSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1e9;
    }

    static long number(Map<String, Object> object, String key) {
        return object.get(key) instanceof Number n ? n.longValue() : 0;
    }

    // ---------------------------------------------------------------- result

    record Result(
            long rows,
            String status,
            long rowsDone,
            long rowsFailed,
            long created,
            long updated,
            long unchanged,
            double uploadSeconds,
            double processingSeconds,
            double totalSeconds,
            List<String> errors) {

        @SuppressWarnings("unchecked")
        static Result of(long rows, Map<String, Object> action, double uploadSeconds, double totalSeconds) {
            var result = action.get("result") instanceof Map<?, ?> map
                    ? (Map<String, Object>) map
                    : Map.<String, Object>of();
            var errors = new ArrayList<String>();
            if (result.get("error") != null) {
                errors.add(String.valueOf(result.get("error")));
            }
            if (result.get("errors") instanceof List<?> list) {
                list.forEach(error -> errors.add(String.valueOf(error)));
            }
            return new Result(
                    rows,
                    String.valueOf(action.get("status")),
                    number(action, "rows_done"),
                    number(action, "rows_failed"),
                    number(result, "created"),
                    number(result, "updated"),
                    number(result, "unchanged"),
                    uploadSeconds,
                    number(action, "processing_time") / 1e3,
                    totalSeconds,
                    List.copyOf(errors));
        }

        String name() {
            return "import_csv_" + rows;
        }

        /** Every row imported: the run's exit status depends on it. */
        boolean ok() {
            return status.equals("DONE") && rowsFailed == 0 && rowsDone == rows;
        }

        double rowsPerSecond() {
            return rowsDone / totalSeconds;
        }

        /** Whether the target was met; null when it does not apply to this many rows. */
        Boolean targetMet() {
            return rows == TARGET_ROWS ? ok() && totalSeconds < TARGET_SECONDS : null;
        }

        String target() {
            if (targetMet() == null) {
                return "none for " + rows + " rows";
            }
            return String.format(Locale.ROOT, "< %.0f s: %s", TARGET_SECONDS, targetMet() ? "met" : "MISSED");
        }

        String summary() {
            return String.format(
                    Locale.ROOT,
                    "%-28s rows %9d  %-6s done %9d  failed %5d  upload %6.1f s  processing %6.1f s  total %6.1f s"
                            + "  %8.0f rows/s  (target %s)",
                    name(),
                    rows,
                    status,
                    rowsDone,
                    rowsFailed,
                    uploadSeconds,
                    processingSeconds,
                    totalSeconds,
                    rowsPerSecond(),
                    target());
        }

        String json() {
            return String.format(
                    Locale.ROOT,
                    """
                    {"name": "%s", "rows": %d, "status": "%s", "rows_done": %d, "rows_failed": %d, \
                    "created": %d, "updated": %d, "unchanged": %d, "upload_s": %.3f, "processing_s": %.3f, \
                    "total_s": %.3f, "rows_per_s": %.1f, "target_s": %.0f, "target_met": %s}
                    """,
                    name(),
                    rows,
                    status,
                    rowsDone,
                    rowsFailed,
                    created,
                    updated,
                    unchanged,
                    uploadSeconds,
                    processingSeconds,
                    totalSeconds,
                    rowsPerSecond(),
                    TARGET_SECONDS,
                    targetMet());
        }
    }

    // ---------------------------------------------------------------- HTTP

    record Api(HttpClient client, Options options) {
        private static final Duration TIMEOUT = Duration.ofSeconds(30);

        Api(Options options) {
            this(
                    HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(5))
                            .build(),
                    options);
        }

        /** POST /v1/customers/importCSV with the file as multipart field `file`, streamed; returns the action id. */
        String upload(Path csv) throws IOException, InterruptedException {
            var boundary = "bench-" + UUID.randomUUID();
            var head = "--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"file\"; filename=\"customers.csv\"\r\n"
                    + "Content-Type: text/csv\r\n\r\n";
            var tail = "\r\n--" + boundary + "--\r\n";
            var request = authenticated("/v1/customers/importCSV")
                    .timeout(UPLOAD_TIMEOUT)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(
                            HttpRequest.BodyPublishers.ofString(head),
                            HttpRequest.BodyPublishers.ofFile(csv),
                            HttpRequest.BodyPublishers.ofString(tail)))
                    .build();
            var body = expect(request, 202);
            if (!(body.get("async_action_id") instanceof String id)) {
                throw new IllegalStateException("The import's 202 response has no async_action_id: " + body);
            }
            return id;
        }

        /** GET /v1/async-actions/{id}. */
        Map<String, Object> action(String id) throws IOException, InterruptedException {
            return expect(authenticated("/v1/async-actions/" + id).GET().build(), 200);
        }

        private Map<String, Object> expect(HttpRequest request, int status) throws IOException, InterruptedException {
            var response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != status) {
                throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " got "
                        + response.statusCode() + " " + response.body());
            }
            return JsonReader.object(response.body());
        }

        private HttpRequest.Builder authenticated(String path) {
            return HttpRequest.newBuilder(URI.create(options.baseUrl() + path))
                    .timeout(TIMEOUT)
                    .header("X-App-Id", options.appId())
                    .header("X-App-Token", options.appToken());
        }
    }

    // ---------------------------------------------------------------- options

    record Options(String baseUrl, String appId, String appToken, long rows, Duration timeout, Path jsonOut) {

        private static final Set<String> KNOWN =
                Set.of("base-url", "app-id", "app-token", "rows", "timeout", "json-out");

        static Options parse(String[] args) {
            var values = new HashMap<String, String>();
            for (int i = 0; i < args.length; i++) {
                var name = args[i].startsWith("--") ? args[i].substring(2) : "";
                if (!KNOWN.contains(name) || i + 1 == args.length) {
                    throw usage("Unexpected argument: " + args[i]);
                }
                values.put(name, args[++i]);
            }
            return new Options(
                    required(values, "base-url").replaceAll("/+$", ""),
                    required(values, "app-id"),
                    required(values, "app-token"),
                    positive(values.getOrDefault("rows", "1000000"), "rows"),
                    Duration.ofSeconds(positive(values.getOrDefault("timeout", "1800"), "timeout")),
                    values.containsKey("json-out") ? Path.of(values.get("json-out")) : null);
        }

        private static String required(Map<String, String> values, String name) {
            var value = values.get(name);
            if (value == null || value.isBlank()) {
                throw usage("Missing --" + name);
            }
            return value;
        }

        private static long positive(String value, String name) {
            long parsed;
            try {
                parsed = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw usage("--" + name + " must be a number, got '" + value + "'");
            }
            if (parsed <= 0) {
                throw usage("--" + name + " must be positive");
            }
            return parsed;
        }

        private static IllegalArgumentException usage(String message) {
            return new IllegalArgumentException(message
                    + "\nUsage: java bench/ImportCsv.java --base-url URL --app-id ID --app-token TOKEN [--rows N]"
                    + " [--timeout S] [--json-out FILE]");
        }
    }

    // ---------------------------------------------------------------- JSON

    /** Just enough JSON reading for the API's responses: objects, arrays, strings, numbers, booleans and null. */
    static final class JsonReader {
        private final String text;
        private int pos;

        private JsonReader(String text) {
            this.text = text;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> object(String text) {
            var reader = new JsonReader(text);
            var value = reader.value();
            reader.skipSpace();
            if (!(value instanceof Map<?, ?>) || reader.pos != text.length()) {
                throw new IllegalStateException("Expected one JSON object, got: " + text);
            }
            return (Map<String, Object>) value;
        }

        private Object value() {
            skipSpace();
            char c = peek();
            return switch (c) {
                case '{' -> objectValue();
                case '[' -> arrayValue();
                case '"' -> stringValue();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> numberValue();
            };
        }

        private Map<String, Object> objectValue() {
            var object = new LinkedHashMap<String, Object>();
            pos++;
            if (skipSpace() == '}') {
                pos++;
                return object;
            }
            while (true) {
                skipSpace();
                var key = stringValue();
                expect(':');
                object.put(key, value());
                if (next(',', '}') == '}') {
                    return object;
                }
            }
        }

        private List<Object> arrayValue() {
            var array = new ArrayList<Object>();
            pos++;
            if (skipSpace() == ']') {
                pos++;
                return array;
            }
            while (true) {
                array.add(value());
                if (next(',', ']') == ']') {
                    return array;
                }
            }
        }

        private String stringValue() {
            expect('"');
            var out = new StringBuilder();
            while (true) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escaped = text.charAt(pos++);
                switch (escaped) {
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> out.append(escaped); // " \ /
                }
            }
        }

        private Number numberValue() {
            int start = pos;
            while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            var number = text.substring(start, pos);
            if (number.isEmpty()) {
                throw error("a value");
            }
            return number.matches("-?\\d+") ? (Number) Long.parseLong(number) : (Number) Double.parseDouble(number);
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error(word);
            }
            pos += word.length();
            return value;
        }

        /** Skips white space; returns the next character, or 0 at the end. */
        private char skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private char peek() {
            if (pos >= text.length()) {
                throw error("a value");
            }
            return text.charAt(pos);
        }

        private void expect(char c) {
            if (skipSpace() != c) {
                throw error("'" + c + "'");
            }
            pos++;
        }

        /** Consumes and returns whichever of the two characters comes next. */
        private char next(char a, char b) {
            char c = skipSpace();
            if (c != a && c != b) {
                throw error("'" + a + "' or '" + b + "'");
            }
            pos++;
            return c;
        }

        private IllegalStateException error(String expected) {
            return new IllegalStateException("Bad JSON at offset " + pos + ", expected " + expected + ": " + text);
        }
    }
}
