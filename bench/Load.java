/*
 * Bestow HTTP load generator: a closed-loop benchmark with no dependencies beyond the JDK (Java 21+).
 *
 * Run it in source-file mode (bench/run does this for you):
 *
 *   java bench/Load.java --base-url http://127.0.0.1:8080 --app-id APP --app-token TOKEN \
 *        [--duration 15] [--warmup 3] [--app-warmup 0] [--concurrency 16] [--scenarios a,b] [--json-out FILE]
 *
 * First every scenario runs once unmeasured, the scenarios sharing `app-warmup` seconds, to warm up the JIT compilers
 * of the app and of this program. Then for every scenario, `concurrency` workers each send one request, wait for the
 * response, and send the next, first for `warmup` seconds (not measured) and then for `duration` seconds (measured).
 * A response counts as an error when its status is not the scenario's expected status or its check fails. Per
 * scenario it prints requests, errors, throughput (completed requests per second) and the p50/p99 latency, and writes
 * them as JSON to `--json-out`. It exits with status 2 when any request failed.
 *
 * HOW TO ADD A SCENARIO
 *   Add one entry to SCENARIOS below:
 *
 *     new Scenario("list_users", 200, Scenario.ANY, api -> (worker, n) -> api.get("/v1/users")),
 *
 *   - name:           shown in the table and the JSON; also accepted by --scenarios.
 *   - expectedStatus: any other status counts as an error.
 *   - check:          an extra test of a response with the expected status (Scenario.ANY accepts all).
 *   - setup:          runs once before the warm-up and returns the RequestFactory for the loop. Do one-off
 *                     preparation there (see prepareReplays). The factory gets the worker index (0 to
 *                     api.workers() - 1) and that worker's request number n (from 0, warm-up included), so
 *                     `api.unique(worker, n)` is a value no other request of the run uses. A worker never has two
 *                     requests in flight, so per-worker resources need no locking.
 *   Build requests with the Api helpers (get, postJson, idempotentPost); they add the bench key headers.
 */

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;

public class Load {

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("get_project", 200, Scenario.ANY, api -> (w, n) -> api.get("/v1/project")),
            new Scenario("create_api_key_idempotent", 201, Scenario.ANY, api -> (w, n) -> createApiKey(api, w, n)),
            new Scenario("replay_idempotent", 201, Load::isReplay, Load::prepareReplays),
            new Scenario("upsert_customer", 200, Scenario.ANY, api -> (w, n) -> upsertCustomer(api, w, n)),
            new Scenario("create_user_idempotent", 201, Scenario.ANY, api -> (w, n) -> createUser(api, w, n)),
            new Scenario("redeem_code", 200, Scenario.ANY, api -> prepareRedemptions(api, false)),
            new Scenario("redeem_shared_code", 200, Scenario.ANY, api -> prepareRedemptions(api, true)),
            new Scenario("send_gift_shared_budget", 201, Load::isFunded, api -> prepareSends(api, 1)),
            new Scenario("send_gift_100_budgets", 201, Load::isFunded, api -> prepareSends(api, 100)));

    /** Distinct customers each worker cycles through in upsert_customer: its first pass creates, later ones update. */
    static final int CUSTOMERS_PER_WORKER = 1000;

    /** Distinct customers each worker redeems for in the redemption scenarios: returning customers at a checkout. */
    static final int REDEEMERS_PER_WORKER = 20;

    /** Distinct stored requests each worker cycles through in replay_idempotent. */
    static final int REPLAYS_PER_WORKER = 16;

    static final int MAX_ERROR_SAMPLES = 5;

    public static void main(String[] args) throws Exception {
        Options options;
        List<Scenario> scenarios;
        try {
            options = Options.parse(args);
            scenarios = options.selected(SCENARIOS);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        var target = Target.of(options);
        boolean warmupErrors = warmUp(target, scenarios, options);
        var results = new ArrayList<Result>();
        for (var scenario : scenarios) {
            var api = new Api(target, scenario.name(), options.concurrency());
            var result = run(scenario, api, options.warmup(), options.duration());
            print(result, "");
            results.add(result);
        }
        if (options.jsonOut() != null) {
            Files.writeString(options.jsonOut(), Json.results(results));
        }
        if (warmupErrors || results.stream().anyMatch(result -> result.errors() > 0)) {
            System.exit(2);
        }
    }

    /**
     * Runs every scenario once, unmeasured, sharing --app-warmup seconds, so that the JIT compilers of the app and of
     * this program have seen all the code paths before the first measurement. Returns whether any request failed.
     */
    private static boolean warmUp(Target target, List<Scenario> scenarios, Options options) throws Exception {
        if (options.appWarmup().isZero()) {
            return false;
        }
        var each = options.appWarmup().dividedBy(scenarios.size());
        boolean errors = false;
        for (var scenario : scenarios) {
            var api = new Api(target, "warmup-" + scenario.name(), options.concurrency());
            var result = run(scenario, api, Duration.ZERO, each.isZero() ? Duration.ofSeconds(1) : each);
            print(result, "warm-up: ");
            errors |= result.errors() > 0;
        }
        return errors;
    }

    private static void print(Result result, String prefix) {
        System.out.println(prefix + result.summary());
        result.errorSamples().forEach(sample -> System.out.println("    error: " + sample));
    }

    // ---------------------------------------------------------------- scenarios

    /** One thing to measure; see "HOW TO ADD A SCENARIO" at the top. */
    record Scenario(String name, int expectedStatus, Predicate<HttpResponse<String>> check, Setup setup) {
        static final Predicate<HttpResponse<String>> ANY = response -> true;
    }

    /** One-off preparation of a scenario; returns the factory for the measured requests. */
    @FunctionalInterface
    interface Setup {
        RequestFactory prepare(Api api) throws Exception;
    }

    /** The request a worker sends as its n-th request (n counts from 0, warm-up included). */
    @FunctionalInterface
    interface RequestFactory {
        HttpRequest next(int worker, long n);
    }

    /** POST /v1/api-keys with a new Idempotency-Key. */
    private static HttpRequest createApiKey(Api api, int worker, long n) {
        var key = api.unique(worker, n);
        return api.idempotentPost("/v1/api-keys", key, Json.object("name", "bench-" + key));
    }

    /**
     * POST /v1/customers, which creates or updates by source_id. Each worker cycles through its own
     * CUSTOMERS_PER_WORKER source ids, so the first pass creates and later passes (warm-up included) update, with a
     * new name, e-mail and metadata each time.
     */
    private static HttpRequest upsertCustomer(Api api, int worker, long n) {
        var sourceId = "bench-" + worker + "-" + (n % CUSTOMERS_PER_WORKER);
        var body = String.format(
                Locale.ROOT,
                "{\"source_id\": %s, \"name\": %s, \"email\": %s, \"metadata\": {\"n\": %d}}",
                Json.string(sourceId),
                Json.string("Bench " + n),
                Json.string("w" + worker + "n" + n + "@bench.local"),
                n);
        return api.postJson("/v1/customers", body);
    }

    /** POST /v1/users with a new Idempotency-Key and e-mail; slow by design, as the password is hashed with bcrypt. */
    private static HttpRequest createUser(Api api, int worker, long n) {
        var key = api.unique(worker, n);
        return api.idempotentPost(
                "/v1/users",
                key,
                Json.object("email", key + "@bench.local", "password", "bench-password-1", "role", "member"));
    }

    private static boolean isReplay(HttpResponse<String> response) {
        return response.headers()
                .firstValue("Idempotent-Replayed")
                .map("true"::equals)
                .orElse(false);
    }

    /**
     * Stores REPLAYS_PER_WORKER responses per worker, then replays them. Each worker replays only its own keys: two
     * replays of one key at the same time would contend for its lock, and one of them would get 409.
     */
    private static RequestFactory prepareReplays(Api api) throws IOException, InterruptedException {
        var requests = new HttpRequest[api.workers()][REPLAYS_PER_WORKER];
        for (int worker = 0; worker < api.workers(); worker++) {
            for (int i = 0; i < REPLAYS_PER_WORKER; i++) {
                requests[worker][i] = createApiKey(api, worker, i);
                api.expect(requests[worker][i], 201);
            }
        }
        return (worker, n) -> requests[worker][(int) (n % REPLAYS_PER_WORKER)];
    }

    /**
     * POST /v1/redemptions of a discount code without a redemption limit, for one of REDEEMERS_PER_WORKER customers
     * of the worker (created by their first redemption, in the warm-up) and an order of 100.00. With shared=false every worker redeems its own code (what checkouts with
     * unique codes do); with shared=true all workers redeem one code (a public promo code: the hot-row case, where
     * redemptions of the code queue for its row lock).
     */
    private static RequestFactory prepareRedemptions(Api api, boolean shared) throws IOException, InterruptedException {
        var codes = new String[api.workers()];
        for (int worker = 0; worker < api.workers(); worker++) {
            codes[worker] = api.unique(shared ? 0 : worker, 0).toUpperCase(Locale.ROOT);
            if (shared && worker > 0) {
                continue;
            }
            api.expect(
                    api.postJson(
                            "/v1/vouchers/" + codes[worker],
                            "{\"type\": \"DISCOUNT_VOUCHER\", \"discount\": {\"type\": \"PERCENT\", \"percent_off\": 10}}"),
                    200);
        }
        return (worker, n) -> api.postJson(
                "/v1/redemptions",
                String.format(
                        Locale.ROOT,
                        "{\"redeemables\": [{\"object\": \"voucher\", \"id\": %s}], \"customer\": {\"source_id\": %s},"
                                + " \"order\": {\"amount\": 10000}}",
                        Json.string(codes[worker]),
                        Json.string("redeemer-" + worker + "-" + (n % REDEEMERS_PER_WORKER))));
    }

    /** Recipients the gift-send scenarios cycle through: customers with every field an e-gift needs. */
    static final int RECIPIENTS = 100;

    /** Enough money that no send of a run waits for funds: 10,000,000,000.00. */
    static final long BUDGET = 1_000_000_000_000L;

    /**
     * POST /v1/sends of a 10.00 sandbox e-gift to one of RECIPIENTS customers, from one shared budget (budgets=1: the
     * hot-row case, where every send queues for the budget's row lock) or from one of 100 budgets. Each budget holds
     * BUDGET, so every send must come back funded ({@code "status": "created"}); any other answer is an error.
     */
    private static RequestFactory prepareSends(Api api, int budgets) throws IOException, InterruptedException {
        var gift = api.createdId(api.postJson(
                "/v1/gifts",
                "{\"name\": \"Bench coffee\", \"type\": \"EGIFT\", \"cost\": 1000, \"currency\": \"USD\"}"));
        var budgetIds = new String[budgets];
        for (int i = 0; i < budgets; i++) {
            budgetIds[i] = api.createdId(api.postJson(
                    "/v1/budgets",
                    String.format(
                            Locale.ROOT,
                            "{\"name\": \"Bench %d\", \"owner\": {\"type\": \"team\", \"id\": %s},"
                                    + " \"currency\": \"USD\"}",
                            i,
                            Json.string(api.unique(i, 0)))));
            api.createdId(api.postJson("/v1/budgets/" + budgetIds[i] + "/top-ups", "{\"amount\": " + BUDGET + "}"));
        }
        var recipients = new String[RECIPIENTS];
        for (int i = 0; i < RECIPIENTS; i++) {
            recipients[i] = api.unique(0, i);
            api.expect(
                    api.postJson(
                            "/v1/customers",
                            String.format(
                                    Locale.ROOT,
                                    "{\"source_id\": %s, \"first_name\": \"Bench\", \"last_name\": \"Recipient\","
                                            + " \"email\": %s}",
                                    Json.string(recipients[i]),
                                    Json.string(recipients[i] + "@bench.local"))),
                    200);
        }
        return (worker, n) -> api.postJson(
                "/v1/sends",
                String.format(
                        Locale.ROOT,
                        "{\"gift_id\": %s, \"budget_id\": %s, \"recipient\": {\"source_id\": %s}}",
                        Json.string(gift),
                        Json.string(budgetIds[(int) ((worker + n) % budgets)]),
                        Json.string(recipients[(int) ((worker * 7 + n) % RECIPIENTS)])));
    }

    private static boolean isFunded(HttpResponse<String> response) {
        return response.body().contains("\"status\":\"created\"");
    }

    // ---------------------------------------------------------------- measurement

    private static Result run(Scenario scenario, Api api, Duration warmup, Duration duration) throws Exception {
        var factory = scenario.setup().prepare(api);
        var errorSamples = new ConcurrentLinkedQueue<String>();
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long measureUntil = measureFrom + duration.toNanos();
        var workers = new ArrayList<Future<Samples>>();
        long cpuNanos;
        try (var executor = Executors.newFixedThreadPool(api.workers())) {
            for (int worker = 0; worker < api.workers(); worker++) {
                int index = worker;
                workers.add(executor.submit(() ->
                        loop(index, scenario, factory, api.client(), measureFrom, measureUntil, errorSamples)));
            }
            cpuNanos = cpuTimeBetween(measureFrom, measureUntil);
        }
        var merged = Samples.merge(workers);
        return Result.of(scenario.name(), merged, duration, cpuNanos, List.copyOf(errorSamples));
    }

    /** CPU time this process (the load generator) used from one instant (System.nanoTime) to another. */
    private static long cpuTimeBetween(long from, long until) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        sleepUntil(from);
        long before = os.getProcessCpuTime();
        sleepUntil(until);
        return os.getProcessCpuTime() - before;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    /** One worker's closed loop; requests started before measureFrom are warm-up and not recorded. */
    private static Samples loop(
            int worker,
            Scenario scenario,
            RequestFactory factory,
            HttpClient client,
            long measureFrom,
            long measureUntil,
            ConcurrentLinkedQueue<String> errorSamples) {
        var samples = new Samples();
        for (long n = 0; ; n++) {
            long sent = System.nanoTime();
            if (sent >= measureUntil) {
                return samples;
            }
            String error = send(client, factory.next(worker, n), scenario);
            long latency = System.nanoTime() - sent;
            if (sent < measureFrom) {
                continue;
            }
            samples.add(latency, error == null);
            if (error != null && errorSamples.size() < MAX_ERROR_SAMPLES) {
                errorSamples.add(error);
            }
        }
    }

    /** Sends one request; returns null when the response is as expected, else a short description. */
    private static String send(HttpClient client, HttpRequest request, Scenario scenario) {
        try {
            var response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != scenario.expectedStatus()) {
                return "status " + response.statusCode() + errorBody(response);
            }
            return scenario.check().test(response) ? null : "status " + response.statusCode() + " failed the check";
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Only error bodies are shown: successful ones may hold secrets, such as a new API token. */
    private static String errorBody(HttpResponse<String> response) {
        if (response.statusCode() < 400) {
            return "";
        }
        var body = response.body();
        return " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }

    /** Latencies (ns) of one worker's measured requests, and how many of them failed. */
    static final class Samples {
        private long[] latencies = new long[4096];
        private int count;
        private long errors;

        void add(long latencyNanos, boolean ok) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = latencyNanos;
            if (!ok) {
                errors++;
            }
        }

        /** All workers' samples, sorted by latency. */
        static Samples merge(List<Future<Samples>> parts) throws Exception {
            var merged = new Samples();
            for (var part : parts) {
                var samples = part.get();
                merged.latencies = Arrays.copyOf(merged.latencies, merged.count + samples.count);
                System.arraycopy(samples.latencies, 0, merged.latencies, merged.count, samples.count);
                merged.count += samples.count;
                merged.errors += samples.errors;
            }
            Arrays.sort(merged.latencies, 0, merged.count);
            return merged;
        }

        /** Nearest-rank percentile in milliseconds, of sorted samples. */
        double percentileMillis(double p) {
            if (count == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100 * count);
            return latencies[Math.max(rank, 1) - 1] / 1e6;
        }
    }

    record Result(
            String name,
            long requests,
            long errors,
            double throughput,
            double p50Millis,
            double p99Millis,
            double loadCpuPercent,
            List<String> errorSamples) {

        static Result of(
                String name, Samples samples, Duration duration, long cpuNanos, List<String> errorSamples) {
            double seconds = duration.toNanos() / 1e9;
            return new Result(
                    name,
                    samples.count,
                    samples.errors,
                    samples.count / seconds,
                    samples.percentileMillis(50),
                    samples.percentileMillis(99),
                    100.0 * cpuNanos / duration.toNanos(),
                    errorSamples);
        }

        /** One line; "load cpu" is the load generator's own CPU use, in % of one core. */
        String summary() {
            return String.format(
                    "%-28s requests %8d  errors %5d  %9.1f req/s  p50 %8.2f ms  p99 %8.2f ms  load cpu %4.0f%%",
                    name, requests, errors, throughput, p50Millis, p99Millis, loadCpuPercent);
        }
    }

    // ---------------------------------------------------------------- HTTP

    /** The app under test, shared by all scenarios; runId keeps this run's unique values apart from others'. */
    record Target(HttpClient client, String baseUrl, String appId, String appToken, String runId) {
        static Target of(Options options) {
            // Responses are completed on the client's selector thread (direct executor) rather than handed to a
            // thread pool: much less CPU per request, which leaves more of a small machine to the app.
            var client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .executor(Runnable::run)
                    .build();
            return new Target(
                    client,
                    options.baseUrl().replaceAll("/+$", ""),
                    options.appId(),
                    options.appToken(),
                    UUID.randomUUID().toString().substring(0, 8));
        }
    }

    /** What a scenario's setup and requests see: the target, the scenario's name and its number of workers. */
    record Api(Target target, String scenario, int workers) {
        private static final Duration TIMEOUT = Duration.ofSeconds(30);

        HttpClient client() {
            return target.client();
        }

        /** A value no other request of this run uses; safe in e-mail local parts and Idempotency-Keys. */
        String unique(int worker, long n) {
            return "b" + target.runId() + "-" + scenario.replace('_', '-') + "-w" + worker + "-" + n;
        }

        HttpRequest get(String path) {
            return authenticated(path).GET().build();
        }

        HttpRequest postJson(String path, String json) {
            return authenticated(path)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build();
        }

        HttpRequest idempotentPost(String path, String idempotencyKey, String json) {
            return authenticated(path)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", idempotencyKey)
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build();
        }

        /** Sends a setup request that must create something (200 or 201), and answers the id it was given. */
        String createdId(HttpRequest request) throws IOException, InterruptedException {
            var response = client().send(request, HttpResponse.BodyHandlers.ofString());
            var id = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher(response.body());
            if ((response.statusCode() != 200 && response.statusCode() != 201) || !id.find()) {
                throw new IllegalStateException("Setup request " + request.method() + " " + request.uri() + " got "
                        + response.statusCode() + errorBody(response));
            }
            return id.group(1);
        }

        /** Sends a setup request and fails the run unless it gets the expected status. */
        void expect(HttpRequest request, int status) throws IOException, InterruptedException {
            var response = client().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != status) {
                throw new IllegalStateException("Setup request " + request.method() + " " + request.uri() + " got "
                        + response.statusCode() + errorBody(response));
            }
        }

        private HttpRequest.Builder authenticated(String path) {
            return HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
                    .timeout(TIMEOUT)
                    .header("X-App-Id", target.appId())
                    .header("X-App-Token", target.appToken());
        }
    }

    // ---------------------------------------------------------------- options and output

    record Options(
            String baseUrl,
            String appId,
            String appToken,
            Duration duration,
            Duration warmup,
            Duration appWarmup,
            int concurrency,
            List<String> scenarios,
            Path jsonOut) {

        private static final Set<String> KNOWN = Set.of(
                "base-url",
                "app-id",
                "app-token",
                "duration",
                "warmup",
                "app-warmup",
                "concurrency",
                "scenarios",
                "json-out");

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
                    required(values, "base-url"),
                    required(values, "app-id"),
                    required(values, "app-token"),
                    Duration.ofSeconds(positive(values.getOrDefault("duration", "15"), "duration")),
                    Duration.ofSeconds(notNegative(values.getOrDefault("warmup", "3"), "warmup")),
                    Duration.ofSeconds(notNegative(values.getOrDefault("app-warmup", "0"), "app-warmup")),
                    (int) positive(values.getOrDefault("concurrency", "16"), "concurrency"),
                    Arrays.stream(values.getOrDefault("scenarios", "").split(","))
                            .map(String::trim)
                            .filter(name -> !name.isEmpty())
                            .toList(),
                    values.containsKey("json-out") ? Path.of(values.get("json-out")) : null);
        }

        /** The scenarios named by --scenarios, in the order given; all of them when none are named. */
        List<Scenario> selected(List<Scenario> all) {
            if (scenarios.isEmpty()) {
                return all;
            }
            Map<String, Scenario> byName =
                    all.stream().collect(Collectors.toMap(Scenario::name, scenario -> scenario));
            return scenarios.stream()
                    .map(name -> {
                        var scenario = byName.get(name);
                        if (scenario == null) {
                            var known = all.stream().map(Scenario::name).collect(Collectors.joining(", "));
                            throw usage("Unknown scenario '" + name + "'; known: " + known);
                        }
                        return scenario;
                    })
                    .toList();
        }

        private static String required(Map<String, String> values, String name) {
            var value = values.get(name);
            if (value == null || value.isBlank()) {
                throw usage("Missing --" + name);
            }
            return value;
        }

        private static long positive(String value, String name) {
            long parsed = Long.parseLong(value);
            if (parsed <= 0) {
                throw usage("--" + name + " must be positive");
            }
            return parsed;
        }

        private static long notNegative(String value, String name) {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw usage("--" + name + " must not be negative");
            }
            return parsed;
        }

        private static IllegalArgumentException usage(String message) {
            return new IllegalArgumentException(message
                    + "\nUsage: java bench/Load.java --base-url URL --app-id ID --app-token TOKEN [--duration S]"
                    + " [--warmup S] [--app-warmup S] [--concurrency N] [--scenarios a,b] [--json-out FILE]");
        }
    }

    /** Just enough JSON writing for flat objects of strings and numbers. */
    static final class Json {
        static String object(String... keysAndValues) {
            var fields = new ArrayList<String>();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                fields.add(string(keysAndValues[i]) + ": " + string(keysAndValues[i + 1]));
            }
            return "{" + String.join(", ", fields) + "}";
        }

        static String results(List<Result> results) {
            return results.stream()
                    .map(r -> String.format(
                            Locale.ROOT,
                            "  {\"name\": %s, \"requests\": %d, \"errors\": %d, \"throughput\": %.2f,"
                                    + " \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"load_cpu_percent\": %.1f}",
                            string(r.name()),
                            r.requests(),
                            r.errors(),
                            r.throughput(),
                            r.p50Millis(),
                            r.p99Millis(),
                            r.loadCpuPercent()))
                    .collect(Collectors.joining(",\n", "[\n", "\n]\n"));
        }

        static String string(String value) {
            var out = new StringBuilder("\"");
            for (char c : value.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.append('"').toString();
        }
    }
}
