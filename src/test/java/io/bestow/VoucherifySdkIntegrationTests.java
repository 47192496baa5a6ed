package io.bestow;

import static org.assertj.core.api.Assertions.assertThat;

import io.bestow.identity.IdentityFixtures;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Voucherify's official JavaScript SDK ({@code @voucherify/sdk} from the npm registry), pointed at Bestow by base URL
 * and keys only: {@code customers.mjs} creates, upserts, reads, updates, lists, scrolls, tracks, imports and deletes
 * customers; {@code codes.mjs} creates campaigns and vouchers, publishes, validates, redeems and rolls back.
 */
@BestowTest
class VoucherifySdkIntegrationTests {

    static final Path SDK = Path.of("src/test/sdk");

    @LocalServerPort
    int port;

    @Autowired
    IdentityFixtures fixtures;

    @ParameterizedTest
    @ValueSource(strings = {"customers.mjs", "codes.mjs"})
    void theOfficialSdkWorksAgainstBestow(String script) throws Exception {
        if (!Files.isDirectory(SDK.resolve("node_modules/@voucherify/sdk"))) {
            assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund"), List.of())
                            .exitCode())
                    .as("npm ci in " + SDK)
                    .isZero();
        }
        var tenant = fixtures.tenant(port);
        var result = run(
                List.of("node", script),
                List.of(
                        "BESTOW_URL=http://localhost:" + port,
                        "BESTOW_APP_ID=" + tenant.key().key().appId(),
                        "BESTOW_APP_TOKEN=" + tenant.key().appToken()));
        System.out.println(result.output());
        assertThat(result.output()).contains("Voucherify SDK check passed").doesNotContain("FAIL");
        assertThat(result.exitCode()).isZero();
    }

    private static Result run(List<String> command, List<String> environment) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command).directory(SDK.toFile()).redirectErrorStream(true);
        environment.forEach(pair -> {
            var split = pair.indexOf('=');
            builder.environment().put(pair.substring(0, split), pair.substring(split + 1));
        });
        var log = File.createTempFile("sdk", ".log");
        builder.redirectOutput(log);
        var process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 3 minutes");
        }
        return new Result(process.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output) {}
}
