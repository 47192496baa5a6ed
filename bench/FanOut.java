/*
 * Bestow webhook fan-out benchmark, JDK only (Java 21+): starts --receivers local HTTP receivers, measures them bare
 * (the baseline: POSTs of an event-sized JSON body from 40 concurrent clients for 5 s), registers one webhook endpoint
 * per receiver for customer.created, creates --events customers (so --events events, each delivered to every receiver)
 * with one CSV import, or with --rate R over the API at R per second, and waits for every delivery. It prints
 * deliveries per second (first to last receipt), the lag from the event's creation to its receipt (p50, p99, and per
 * 10 s of the run), and how many deliveries were lost or received twice. With --rate, --warmup-events (default: 30 s
 * of the rate) are created and delivered first, unmeasured, so that the app's webhook paths are compiled by the JIT
 * before the lag is measured; their deliveries are waited for and then some seconds more.
 *
 *   java bench/FanOut.java --base-url http://127.0.0.1:8080 --app-id APP --app-token TOKEN \
 *        [--events 100000] [--rate 0] [--warmup-events 30*rate] [--receivers 4] [--json-out FILE]
 *
 * Exits with status 2 when a delivery was lost or received twice.
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

public class FanOut {

    private static final Pattern CREATED = Pattern.compile("\"created_at\"\\s*:\\s*\"([^\"]+)\"");

    /** What the receivers saw. */
    static final class Received {
        final ConcurrentHashMap<String, Boolean> ids = new ConcurrentHashMap<>();
        final LongAdder total = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final List<long[]> lags = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong();
        /** Deliveries received before measuring starts: the warm-up's. */
        final LongAdder unmeasured = new LongAdder();
        volatile boolean measuring;
    }

    public static void main(String[] args) throws Exception {
        var options = new HashMap<String, String>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        var baseUrl = options.get("base-url");
        int events = Integer.parseInt(options.getOrDefault("events", "100000"));
        int receivers = Integer.parseInt(options.getOrDefault("receivers", "4"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "0"));
        double targetRate = Double.parseDouble(options.getOrDefault("target-rate", "2000"));
        double targetLag = Double.parseDouble(options.getOrDefault("target-lag-ms", "1000"));
        var received = new Received();
        var servers = new ArrayList<HttpServer>();
        for (int i = 0; i < receivers; i++) {
            var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/hook", exchange -> {
                var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                long now = System.currentTimeMillis();
                if (!received.measuring) {
                    received.unmeasured.increment();
                } else {
                    var id = exchange.getRequestHeaders().getFirst("webhook-id");
                    received.total.increment();
                    if (id == null || received.ids.putIfAbsent(id, Boolean.TRUE) != null) {
                        received.duplicates.increment();
                    }
                    var created = CREATED.matcher(body);
                    if (created.find()) {
                        long at = Instant.parse(created.group(1)).toEpochMilli();
                        received.lags.add(new long[] {now - at, at});
                    }
                    received.first.accumulateAndGet(now, Math::min);
                    received.last.accumulateAndGet(now, Math::max);
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            servers.add(server);
        }
        var client = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        baseline(client, servers); // unmeasured: the receivers' JIT compiles their path first
        double baseline = baseline(client, servers);
        System.err.printf(Locale.ROOT, "[fanout] bare receivers: %.1f req/s%n", baseline);

        for (var server : servers) {
            var endpoint = String.format(
                    Locale.ROOT,
                    "{\"url\": \"http://localhost:%d/hook\", \"event_types\": [\"customer.created\"],"
                            + " \"max_in_flight\": 16, \"description\": \"bench receiver\"}",
                    server.getAddress().getPort());
            var created = client.send(
                    request(baseUrl + "/v1/webhooks", options)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(endpoint))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("Registering an endpoint failed: " + created.body());
            }
        }
        int warmup = Integer.parseInt(options.getOrDefault("warmup-events", Integer.toString((int) (rate * 30))));
        if (rate > 0 && warmup > 0) {
            received.unmeasured.reset(); // the baseline's requests
            var warmupPrefix = "fanout-warmup-" + System.currentTimeMillis() + "-";
            createSteadily(client, baseUrl, options, warmupPrefix, warmup, rate, System.currentTimeMillis());
            awaitDeliveries(received.unmeasured::sum, (long) warmup * receivers);
            Thread.sleep(5_000);
            System.err.printf(
                    Locale.ROOT, "[fanout] warm-up: %d events, %d deliveries%n", warmup, received.unmeasured.sum());
        }
        received.measuring = true;
        var prefix = "fanout-" + System.currentTimeMillis() + "-";
        long started = System.currentTimeMillis();
        if (rate <= 0) {
            importAll(client, baseUrl, options, prefix, events);
        } else {
            createSteadily(client, baseUrl, options, prefix, events, rate, started);
        }
        long expected = (long) events * receivers;
        awaitDeliveries(() -> received.ids.size(), expected);
        Thread.sleep(2_000);
        servers.forEach(s -> s.stop(0));

        long unique = received.ids.size();
        double seconds = Math.max(1, received.last.get() - received.first.get()) / 1000.0;
        double delivered = unique / seconds;
        timeline(received.lags, started);
        var lags = received.lags.stream().mapToLong(l -> l[0]).sorted().toArray();
        double p50 = percentile(lags, 0.50);
        double p99 = percentile(lags, 0.99);
        long lost = expected - unique;
        long duplicates = received.duplicates.sum();
        boolean met = delivered >= targetRate && p99 < targetLag && lost == 0 && duplicates == 0;
        var json = String.format(
                Locale.ROOT,
                "{\"name\": \"webhook_fanout\", \"events\": %d, \"receivers\": %d, \"expected\": %d,"
                        + " \"delivered\": %d, \"lost\": %d, \"duplicates\": %d, \"deliveries_per_s\": %.1f,"
                        + " \"baseline_req_per_s\": %.1f, \"ratio\": %.2f, \"lag_p50_ms\": %.1f, \"lag_p99_ms\": %.1f,"
                        + " \"total_s\": %.1f, \"target_rate\": %.0f, \"target_lag_ms\": %.0f, \"target_met\": %b}",
                events,
                receivers,
                expected,
                unique,
                lost,
                duplicates,
                delivered,
                baseline,
                delivered / baseline,
                p50,
                p99,
                (received.last.get() - started) / 1000.0,
                targetRate,
                targetLag,
                met);
        System.out.println(json);
        if (options.containsKey("json-out")) {
            Files.writeString(Path.of(options.get("json-out")), json);
        }
        System.exit(lost == 0 && duplicates == 0 ? 0 : 2);
    }

    /** Waits until the count reaches {@code expected}, or has not grown for 60 s. */
    private static void awaitDeliveries(LongSupplier count, long expected) throws InterruptedException {
        long lastCount = -1;
        long lastProgress = System.currentTimeMillis();
        while (count.getAsLong() < expected && System.currentTimeMillis() - lastProgress < 60_000) {
            Thread.sleep(200);
            if (count.getAsLong() != lastCount) {
                lastCount = count.getAsLong();
                lastProgress = System.currentTimeMillis();
            }
        }
    }

    /** POSTs of an event-sized body to the bare receivers from 40 clients for 5 s: requests per second. */
    private static double baseline(HttpClient client, List<HttpServer> servers) throws Exception {
        var body = "{\"id\": \"evt_x\", \"type\": \"customer.created\", \"data\": {\"object\": {\"id\": \"cust_x\","
                + " \"email\": \"someone@example.com\", \"metadata\": {}}}, \"created_at\": \"" + Instant.now() + "\"}";
        var done = new LongAdder();
        long until = System.currentTimeMillis() + 5_000;
        try (var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < 40; w++) {
                int worker = w;
                workers.execute(() -> {
                    var target = URI.create("http://localhost:"
                            + servers.get(worker % servers.size()).getAddress().getPort() + "/hook");
                    while (System.currentTimeMillis() < until) {
                        try {
                            client.send(
                                    HttpRequest.newBuilder(target)
                                            .header("webhook-id", "baseline")
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding());
                            done.increment();
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
            }
        }
        return done.sum() / 5.0;
    }

    /** All events at once: a CSV import of --events customers, whose deliveries then queue up (throughput). */
    private static void importAll(
            HttpClient client, String baseUrl, HashMap<String, String> options, String prefix, int events)
            throws Exception {
        var csv = new StringBuilder("source_id,email\n");
        for (int i = 0; i < events; i++) {
            csv.append(prefix).append(i).append(',').append(prefix).append(i).append("@example.com\n");
        }
        var boundary = "----bestow-bench-" + System.nanoTime();
        var body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fanout.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n";
        var accepted = client.send(
                request(baseUrl + "/v1/customers/importCSV", options)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("The import was refused: " + accepted.body());
        }
    }

    /**
     * Events at a steady rate: customers created over the API by 32 clients, --rate per second, so that the lag
     * measures delivery rather than a backlog.
     */
    private static void createSteadily(
            HttpClient client,
            String baseUrl,
            HashMap<String, String> options,
            String prefix,
            int events,
            double rate,
            long started) {
        var next = new AtomicLong();
        var refused = new LongAdder();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < 32; w++) {
                clients.execute(() -> {
                    for (long i = next.getAndIncrement(); i < events; i = next.getAndIncrement()) {
                        long wait = started + (long) (i * 1000.0 / rate) - System.currentTimeMillis();
                        try {
                            if (wait > 0) {
                                Thread.sleep(wait);
                            }
                            var response = client.send(
                                    request(baseUrl + "/v1/customers", options)
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString("{\"source_id\": \"" + prefix + i
                                                    + "\", \"email\": \"" + prefix + i + "@example.com\"}"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() != 200) {
                                refused.increment();
                            }
                        } catch (Exception e) {
                            refused.increment();
                        }
                    }
                });
            }
        }
        if (refused.sum() > 0) {
            throw new IllegalStateException(refused.sum() + " customers could not be created");
        }
    }

    /** Prints the lag of the events created in each 10 s of the run, to show when deliveries fell behind. */
    private static void timeline(List<long[]> lags, long started) {
        var windows = new java.util.TreeMap<Long, List<Long>>();
        synchronized (lags) {
            for (var lag : lags) {
                windows.computeIfAbsent((lag[1] - started) / 10_000, w -> new ArrayList<>()).add(lag[0]);
            }
        }
        windows.forEach((window, values) -> {
            var sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
            System.err.printf(
                    Locale.ROOT,
                    "[fanout] events of %3d-%3d s: %6d deliveries, lag p50 %6.0f ms  p99 %6.0f ms  max %6d ms%n",
                    window * 10,
                    window * 10 + 10,
                    sorted.length,
                    percentile(sorted, 0.50),
                    percentile(sorted, 0.99),
                    sorted[sorted.length - 1]);
        });
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static HttpRequest.Builder request(String url, HashMap<String, String> options) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(5))
                .header("X-App-Id", options.get("app-id"))
                .header("X-App-Token", options.get("app-token"));
    }

}
