package io.bestow.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.identity.IdentityFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The console in a real Chromium: log in, see the project and its keys, create and revoke a key, log out. */
@BestowTest
class ConsoleBrowserIntegrationTests {

    static Playwright playwright;
    static Browser browser;

    @LocalServerPort
    int port;

    BrowserContext context;
    Page page;

    @BeforeAll
    static void launch() {
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void close() {
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void open() {
        context = browser.newContext(new Browser.NewContextOptions().setBaseURL("http://localhost:" + port));
        page = context.newPage();
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Test
    void adminLogsInSeesTheProjectManagesKeysAndLogsOut() throws Exception {
        var project = api().get("/v1/project").json();

        page.navigate("/");
        assertThat(page).hasURL("http://localhost:" + port + "/login");
        logIn(IdentityFixtures.BOOTSTRAP_ADMIN, IdentityFixtures.BOOTSTRAP_PASSWORD);

        assertThat(page.getByRole(
                        AriaRole.HEADING,
                        new Page.GetByRoleOptions().setName(project.get("name").asString())))
                .isVisible();
        assertThat(page.locator("#project-id")).hasText(project.get("id").asString());
        assertThat(page.locator("code.app-id").first()).isVisible();
        assertThat(page.getByText(IdentityFixtures.BOOTSTRAP_APP_ID)).isVisible();

        page.getByLabel("New key name").fill("From the browser");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create API key"))
                .click();
        var appId = page.locator("#issued-app-id").textContent();
        var token = page.locator("#issued-app-token").textContent();
        assertThat(token).startsWith("sk_");
        assertThat(TestApi.at(port).as(appId, token).get("/v1/project").status())
                .isEqualTo(200);
        Files.createDirectories(Path.of("target/screenshots"));
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Path.of("target/screenshots/console-project.png"))
                .setFullPage(true));

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke From the browser"))
                .click();
        assertThat(page.locator("tr", new Page.LocatorOptions().setHasText(appId)))
                .containsText("revoked");
        assertThat(TestApi.at(port).as(appId, token).get("/v1/project").status())
                .isEqualTo(401);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out"))
                .click();
        assertThat(page.getByRole(AriaRole.STATUS)).hasText("You have been logged out.");
        page.navigate("/");
        assertThat(page).hasURL("http://localhost:" + port + "/login");
    }

    @Test
    void wrongPasswordIsRefused() {
        page.navigate("/login");
        logIn(IdentityFixtures.BOOTSTRAP_ADMIN, "not-the-password");
        assertThat(page.getByRole(AriaRole.ALERT)).hasText("Wrong e-mail or password.");
        assertThat(page).hasURL("http://localhost:" + port + "/login?error");
    }

    @Test
    void aFormPostWithoutTheCsrfTokenIsRejected() {
        page.navigate("/login");
        logIn(IdentityFixtures.BOOTSTRAP_ADMIN, IdentityFixtures.BOOTSTRAP_PASSWORD);
        int keysBefore = api().get("/v1/api-keys").json().get("total").asInt();

        var forged = page.request()
                .post(
                        "/api-keys",
                        com.microsoft.playwright.options.RequestOptions.create()
                                .setForm(com.microsoft.playwright.options.FormData.create()
                                        .set("name", "forged")));

        assertThat(forged.status()).isEqualTo(403);
        assertThat(api().get("/v1/api-keys").json().get("total").asInt()).isEqualTo(keysBefore);
    }

    @Test
    void theSessionAlsoAuthenticatesApiReads() {
        page.navigate("/login");
        logIn(IdentityFixtures.BOOTSTRAP_ADMIN, IdentityFixtures.BOOTSTRAP_PASSWORD);
        var response = page.request().get("/v1/project");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).contains("\"object\":\"project\"");
    }

    private void logIn(String email, String password) {
        page.getByLabel("E-mail").fill(email);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"))
                .click();
    }

    private TestApi api() {
        return TestApi.at(port).as(IdentityFixtures.BOOTSTRAP_APP_ID, IdentityFixtures.BOOTSTRAP_APP_TOKEN);
    }
}
