package io.bestow;

import io.bestow.identity.IdentityFixtures;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Whole Bestow nodes started by a test, each a Spring context of its own with one master key, as an operator runs them. */
public final class Nodes {

    public static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private Nodes() {}

    /** A node on a free port with the test profile and these arguments ({@code --bestow.data-dir=…}, …). */
    public static ConfigurableApplicationContext start(String... args) {
        var all = new ArrayList<>(List.of("--server.port=0", "--bestow.master-key=" + MASTER_KEY));
        all.addAll(List.of(args));
        return new SpringApplicationBuilder(Bestow.class).profiles("test").run(all.toArray(String[]::new));
    }

    public static ConfigurableApplicationContext start(List<String> args) {
        return start(args.toArray(String[]::new));
    }

    /** The node's API, with the bootstrap key pair. */
    public static TestApi api(ConfigurableApplicationContext node) {
        int port = Integer.parseInt(node.getEnvironment().getRequiredProperty("local.server.port"));
        return TestApi.at(port).as(IdentityFixtures.BOOTSTRAP_APP_ID, IdentityFixtures.BOOTSTRAP_APP_TOKEN);
    }

    /** The arguments and one more. */
    public static List<String> with(List<String> args, String more) {
        var all = new ArrayList<>(args);
        all.add(more);
        return all;
    }
}
