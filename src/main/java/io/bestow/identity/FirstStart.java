package io.bestow.identity;

import io.bestow.shared.DemoData;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.ProjectId;
import io.bestow.shared.PublicUrl;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes a new installation usable: the default project, its first admin and its first API key pair, printed once.
 * The environment may fix the admin login and the key pair instead ({@code BESTOW_ADMIN_EMAIL},
 * {@code BESTOW_ADMIN_PASSWORD}, {@code BESTOW_APP_ID}, {@code BESTOW_APP_TOKEN}); the key pair is used only while
 * the project has no key. With {@code BESTOW_DEMO=true} a new project also gets every module's demo data.
 */
@Component
@EnableConfigurationProperties(FirstStart.Settings.class)
class FirstStart implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstStart.class);
    static final String DEFAULT_ADMIN = "admin@bestow.local";

    @ConfigurationProperties("bestow.bootstrap")
    record Settings(String adminEmail, String adminPassword, String appId, String appToken) {}

    private final Settings settings;
    private final boolean demo;
    private final Projects projects;
    private final Users users;
    private final ApiKeys apiKeys;
    private final IdentityManagement identity;
    private final List<DemoData> demoData;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final PublicUrl publicUrl;
    private final Clock clock;

    FirstStart(
            Settings settings,
            @Value("${bestow.demo}") boolean demo,
            Projects projects,
            Users users,
            ApiKeys apiKeys,
            IdentityManagement identity,
            List<DemoData> demoData,
            TransactionTemplate transaction,
            ApplicationEventPublisher events,
            PublicUrl publicUrl,
            Clock clock) {
        this.settings = settings;
        this.demo = demo;
        this.projects = projects;
        this.users = users;
        this.apiKeys = apiKeys;
        this.identity = identity;
        this.demoData = demoData;
        this.transaction = transaction;
        this.events = events;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        var lines = transaction.execute(status -> prepare(demo || args.containsOption("demo")));
        var banner = new StringBuilder("\n=== Bestow is ready ===\nConsole: ")
                .append(publicUrl.of("/"))
                .append('\n');
        lines.forEach(line -> banner.append(line).append('\n'));
        banner.append("API docs: ").append(publicUrl.of("/swagger-ui.html")).append('\n');
        System.out.println(banner);
        log.info("Bestow is ready at {}", publicUrl.base());
    }

    private List<String> prepare(boolean seedDemo) {
        var printed = new ArrayList<String>();
        var candidate = new Project(ProjectId.generate(), "Default project", clock.instant());
        boolean created = projects.createDefault(candidate);
        var project = projects.findDefault().orElseThrow();
        if (created) {
            events.publishEvent(new ProjectCreated(EventMeta.of(project.id(), clock), project));
            printed.add("Project: " + project.name() + " (" + project.id() + ")");
        }
        var email = blank(settings.adminEmail())
                ? DEFAULT_ADMIN
                : settings.adminEmail().trim();
        if (users.count(project.id()) == 0 || (!blank(settings.adminEmail()) && !users.exists(email))) {
            var password = blank(settings.adminPassword()) ? Ids.random(20) : settings.adminPassword();
            identity.createUser(project.id(), email, "Admin", password, Role.ADMIN);
            printed.add("Admin login: " + email + " / "
                    + (blank(settings.adminPassword()) ? password : "(the password from BESTOW_ADMIN_PASSWORD)"));
        }
        if (apiKeys.countActive(project.id()) == 0) {
            var appId = blank(settings.appId())
                    ? "app_" + Ids.random(20)
                    : settings.appId().trim();
            var token = blank(settings.appToken())
                    ? "sk_" + Ids.random(40)
                    : settings.appToken().trim();
            identity.issue(project.id(), "Default key", Role.ADMIN, appId, token);
            printed.add("API key: X-App-Id: " + appId);
            printed.add("         X-App-Token: " + token);
            printed.add("(the token is shown only now; it is stored hashed)");
        }
        if (created && seedDemo) {
            demoData.forEach(seeder -> seeder.seed(project.id()));
            printed.add("Demo data seeded.");
        }
        return printed;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
