/*
 * Bestow journey benchmark, JDK only (Java 21+): starts a local Sendoso-style HTTP stub, measures it bare, imports
 * --participants customers with one CSV import, then publishes a manual program over exactly them: Call API (the
 * stub) -> create task. It prints participants completed per second and the total time from publish to the last
 * one completed, and checks that the stub got every call exactly once (by the calls' idempotency keys).
 *
 *   java bench/Journey.java --base-url http://127.0.0.1:8080 --app-id APP --app-token TOKEN \
 *        [--participants 100000] [--warmup-participants 30000] [--target-s 60] [--json-out FILE]
 *
 * A warm-up run of --warmup-participants (in a program of its own, not measured) goes first, and the measured run
 * starts once the app's JIT compilers are idle after it, so that it does not also time them; 0 skips the warm-up.
 *
 * Exit status: 0 when every participant completed with one call each, 2 when calls were lost or made twice.
 */
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
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
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

public class Journey {

    private static final Pattern ID = Pattern.compile("\"(?:id|async_action_id)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern COMPLETED = Pattern.compile("\"completed\"\\s*:\\s*(\\d+)");
    private static final Pattern FAILED = Pattern.compile("\"failed\"\\s*:\\s*(\\d+)");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern COMPILATION_MS =
            Pattern.compile("(?m)^jvm_compilation_time_ms_total\\{[^}]*\\} ([0-9.eE+]+)");

    public static void main(String[] args) throws Exception {
        var options = new HashMap<String, String>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        var baseUrl = options.get("base-url");
        int participants = Integer.parseInt(options.getOrDefault("participants", "100000"));
        double targetSeconds = Double.parseDouble(options.getOrDefault("target-s", "60"));

        var calls = new LongAdder();
        var keys = ConcurrentHashMap.<String>newKeySet();
        var duplicates = new LongAdder();
        // Keep the connections of every concurrent call open between calls, as a real receiver would: the server's
        // default keeps 200 and closes the rest, which the app then finds closed when it reuses them.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "4000");
        var stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        stub.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        stub.createContext("/api/v3/send", exchange -> {
            exchange.getRequestBody().readAllBytes();
            var key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            if (key != null) {
                calls.increment();
                if (!keys.add(key)) {
                    duplicates.increment();
                }
            }
            var answer = "{\"id\": \"snd_" + System.nanoTime() + "\", \"status\": \"queued\"}";
            var bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        stub.start();
        var stubUrl = "http://localhost:" + stub.getAddress().getPort();
        var client = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        baseline(client, stubUrl); // unmeasured: the stub's JIT compiles its path first
        double baseline = baseline(client, stubUrl);
        System.err.printf(Locale.ROOT, "[journey] bare stub: %.1f req/s%n", baseline);

        int warmup = Integer.parseInt(options.getOrDefault("warmup-participants", "30000"));
        if (warmup > 0) {
            // Unmeasured, like the HTTP scenarios' warm-ups: the app's JIT compilers compile the program paths first.
            System.err.printf(Locale.ROOT, "[journey] warm-up run of %d participants%n", warmup);
            run(client, baseUrl, options, stubUrl, "jrn-warmup-" + System.currentTimeMillis() + "-", warmup);
            awaitIdleCompilers(client, baseUrl);
            calls.reset();
            keys.clear();
            duplicates.reset();
        }
        var outcome = run(client, baseUrl, options, stubUrl, "jrn-" + System.currentTimeMillis() + "-", participants);
        long completed = outcome[0];
        long failed = outcome[1];
        double total = outcome[2] / 1e9;
        Thread.sleep(1_000);
        stub.stop(0);

        double rate = completed / Math.max(total, 0.001);
        long lost = participants - keys.size();
        boolean met = completed == participants && lost == 0 && duplicates.sum() == 0 && total < targetSeconds;
        var json = String.format(
                Locale.ROOT,
                "{\"name\": \"journey_call_api_task\", \"participants\": %d, \"completed\": %d, \"failed\": %d,"
                        + " \"participants_per_s\": %.1f, \"total_s\": %.1f, \"calls\": %d, \"calls_lost\": %d,"
                        + " \"calls_twice\": %d, \"baseline_req_per_s\": %.1f, \"ratio\": %.2f, \"target_s\": %.0f,"
                        + " \"target_met\": %b}",
                participants,
                completed,
                failed,
                rate,
                total,
                calls.sum(),
                lost,
                duplicates.sum(),
                baseline,
                rate / baseline,
                targetSeconds,
                met);
        System.out.println(json);
        if (options.containsKey("json-out")) {
            Files.writeString(Path.of(options.get("json-out")), json);
        }
        System.exit(lost == 0 && duplicates.sum() == 0 && completed == participants ? 0 : 2);
    }

    /**
     * Waits (up to 30 s) until the app's JIT compilers are idle: until its accumulated compilation time, as its
     * Prometheus endpoint reports it, grows by less than 100 ms in 2 s. The compilations that the warm-up queued then
     * run before the measured run rather than during it.
     */
    private static void awaitIdleCompilers(HttpClient client, String baseUrl) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        double before = compilationMillis(client, baseUrl);
        while (System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            double now = compilationMillis(client, baseUrl);
            if (now - before < 100) {
                break;
            }
            before = now;
        }
        System.err.printf(Locale.ROOT, "[journey] compilers idle (%.0f ms of compilation so far)%n", before);
    }

    private static double compilationMillis(HttpClient client, String baseUrl) throws Exception {
        var metrics = client.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        var found = COMPILATION_MS.matcher(metrics);
        return found.find() ? Double.parseDouble(found.group(1)) : 0;
    }

    /**
     * Imports {@code participants} customers named after {@code run}, creates a connector, an action and a program
     * over exactly them, publishes it and waits until they all finished: {completed, failed, nanoseconds from publish
     * to the poll that saw the last one finish}.
     */
    private static long[] run(
            HttpClient client,
            String baseUrl,
            HashMap<String, String> options,
            String stubUrl,
            String run,
            int participants)
            throws Exception {
        var csv = new StringBuilder("source_id,email,first_name\n");
        for (int i = 0; i < participants; i++) {
            csv.append(run).append(i).append(',').append(run).append(i).append("@example.com,Customer\n");
        }
        var boundary = "----bestow-bench-" + System.nanoTime();
        var upload = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"journey.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n";
        var imported = send(client, request(baseUrl + "/v1/customers/importCSV", options)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(upload))
                .build(), 202);
        var importId = first(ID, imported);
        System.err.printf(Locale.ROOT, "[journey] importing %d customers%n", participants);
        while (true) {
            var status = first(STATUS, send(client, request(baseUrl + "/v1/async-actions/" + importId, options)
                    .GET()
                    .build(), 200));
            if (status.equals("DONE")) {
                break;
            }
            if (status.equals("FAILED")) {
                throw new IllegalStateException("The import failed");
            }
            Thread.sleep(500);
        }

        var connector = first(ID, post(client, baseUrl + "/v1/connectors", options, """
                {"name": "Journey stub %s", "base_url": "%s", "auth": {"type": "none"}}
                """.formatted(run, stubUrl), 201));
        var action = first(ID, post(client, baseUrl + "/v1/actions", options, """
                {"name": "Journey send %s", "connector_id": "%s", "method": "POST", "url": "/api/v3/send",
                 "body": {"send": {"touch_id": "{{ touch_id }}", "email": "{{ customer.email }}"}},
                 "outputs": {"send_id": "/id"}}
                """.formatted(run, connector), 201));
        var program = first(ID, post(client, baseUrl + "/v1/programs", options, """
                {"name": "Journey bench %s", "trigger": {"type": "manual"},
                 "participants": {"query": "customer.source_id.startsWith('%s')"},
                 "steps": [{"id": "gift", "type": "call_api", "action_id": "%s", "mapping": {"touch_id": "123"}},
                           {"id": "cta", "type": "create_task", "title": "Check in with {{ customer.email }}",
                            "due_in_days": 14}]}
                """.formatted(run, run, action), 201));

        System.err.printf(Locale.ROOT, "[journey] publishing program %s%n", program);
        long started = System.nanoTime();
        post(client, baseUrl + "/v1/programs/" + program + "/publish", options, "{}", 200);
        long completed = 0;
        long failed = 0;
        long lastCompleted = -1;
        long lastProgress = System.nanoTime();
        long finished = started;
        while (completed + failed < participants && System.nanoTime() - lastProgress < 60_000_000_000L) {
            Thread.sleep(250);
            var stats = send(client, request(baseUrl + "/v1/programs/" + program + "/stats", options)
                    .GET()
                    .build(), 200);
            completed = Long.parseLong(first(COMPLETED, stats));
            failed = Long.parseLong(first(FAILED, stats));
            if (completed != lastCompleted) {
                lastCompleted = completed;
                lastProgress = System.nanoTime();
                finished = lastProgress;
            }
        }
        return new long[] {completed, failed, finished - started};
    }

    /** POSTs of a call-sized body to the bare stub from 40 clients for 5 s: requests per second. */
    private static double baseline(HttpClient client, String stubUrl) throws Exception {
        var done = new LongAdder();
        long until = System.nanoTime() + 5_000_000_000L;
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < 40; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < until) {
                    try {
                        client.send(
                                HttpRequest.newBuilder(URI.create(stubUrl + "/api/v3/send"))
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"send\": {\"touch_id\": \"123\", \"email\": \"a@example.com\"}}"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                        done.increment();
                    } catch (Exception e) {
                        return;
                    }
                }
            }));
        }
        for (var thread : threads) {
            thread.join();
        }
        return done.sum() / 5.0;
    }

    private static String post(HttpClient client, String url, HashMap<String, String> options, String body, int status)
            throws Exception {
        return send(client, request(url, options)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), status);
    }

    private static String send(HttpClient client, HttpRequest request, int status) throws Exception {
        var response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != status) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String first(Pattern pattern, String text) {
        var matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("No " + pattern + " in " + text);
        }
        return matcher.group(1);
    }

    private static HttpRequest.Builder request(String url, HashMap<String, String> options) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(5))
                .header("X-App-Id", options.get("app-id"))
                .header("X-App-Token", options.get("app-token"));
    }
}
