/*
 * Bestow code generation benchmark, JDK only (Java 21+): creates a discount campaign asking for --codes unique codes,
 * waits until its background generation is DONE, and prints codes per second (from the request to the moment the
 * campaign reports DONE, polled every 100 ms). bench/run runs it after the HTTP scenarios.
 *
 *   java bench/GenerateCodes.java --base-url http://127.0.0.1:8080 --app-id APP --app-token TOKEN \
 *        [--codes 1000000] [--target-s 30] [--json-out FILE]
 *
 * Exits with status 2 when the generation did not produce every code.
 */

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.regex.Pattern;

public class GenerateCodes {

    private static final Pattern STATUS = Pattern.compile("\"vouchers_generation_status\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern COUNT = Pattern.compile("\"vouchers_count\"\\s*:\\s*(\\d+)");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"(camp_[^\"]+)\"");

    public static void main(String[] args) throws Exception {
        var options = new HashMap<String, String>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        var baseUrl = options.get("base-url");
        long codes = Long.parseLong(options.getOrDefault("codes", "1000000"));
        double target = Double.parseDouble(options.getOrDefault("target-s", "30"));
        var client = HttpClient.newHttpClient();
        var name = "bench-codes-" + System.currentTimeMillis();
        var body = String.format(
                Locale.ROOT,
                "{\"name\": \"%s\", \"campaign_type\": \"DISCOUNT_COUPONS\", \"vouchers_count\": %d,"
                        + " \"voucher\": {\"type\": \"DISCOUNT_VOUCHER\", \"discount\": {\"type\": \"AMOUNT\","
                        + " \"amount_off\": 500}, \"redemption\": {\"quantity\": 1}, \"code_config\": {\"length\": 10}}}",
                name,
                codes);
        long start = System.nanoTime();
        var created = client.send(
                request(baseUrl + "/v1/campaigns", options)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 200) {
            System.err.println("Creating the campaign got " + created.statusCode() + ": " + created.body());
            System.exit(1);
        }
        var idMatcher = ID.matcher(created.body());
        if (!idMatcher.find()) {
            throw new IllegalStateException("No campaign id in " + created.body());
        }
        var id = idMatcher.group(1);
        String status;
        long count;
        do {
            Thread.sleep(100);
            var campaign = client.send(
                    request(baseUrl + "/v1/campaigns/" + id, options).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            var statusMatcher = STATUS.matcher(campaign.body());
            var countMatcher = COUNT.matcher(campaign.body());
            status = statusMatcher.find() ? statusMatcher.group(1) : "UNKNOWN";
            count = countMatcher.find() ? Long.parseLong(countMatcher.group(1)) : 0;
        } while (status.equals("IN_PROGRESS"));
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = count / seconds;
        boolean complete = status.equals("DONE") && count == codes;
        System.out.printf(
                Locale.ROOT,
                "generate_codes  %d codes in %.1f s: %.0f codes/s, target < %.0f s: %s%s%n",
                count,
                seconds,
                rate,
                target,
                seconds < target ? "met" : "MISSED",
                complete ? "" : " (" + status + ", " + count + " of " + codes + ")");
        if (options.containsKey("json-out")) {
            Files.writeString(
                    Path.of(options.get("json-out")),
                    String.format(
                            Locale.ROOT,
                            "{\"name\": \"generate_codes\", \"codes\": %d, \"generated\": %d, \"status\": \"%s\","
                                    + " \"total_s\": %.3f, \"codes_per_s\": %.1f, \"target_s\": %.0f, \"target_met\": %b}",
                            codes,
                            count,
                            status,
                            seconds,
                            rate,
                            target,
                            seconds < target));
        }
        if (!complete) {
            System.exit(2);
        }
    }

    private static HttpRequest.Builder request(String url, HashMap<String, String> options) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("X-App-Id", options.get("app-id"))
                .header("X-App-Token", options.get("app-token"));
    }
}
