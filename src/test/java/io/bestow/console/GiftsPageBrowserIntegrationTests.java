package io.bestow.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.gifts.GiftFixtures;
import io.bestow.identity.IdentityFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The console's gifts page in a real Chromium: an admin tops up a budget and approves the send that waited for it. */
@BestowTest
class GiftsPageBrowserIntegrationTests {

    static Playwright playwright;
    static Browser browser;

    @LocalServerPort
    int port;

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

    @Test
    void anAdminTopsUpABudgetAndApprovesTheSendThatWaitedForIt() throws Exception {
        var api = TestApi.at(port).as(IdentityFixtures.BOOTSTRAP_APP_ID, IdentityFixtures.BOOTSTRAP_APP_TOKEN);
        var gifts = new GiftFixtures(api);
        var budget = gifts.budget(500);
        var send = gifts.sent(gifts.egift(1000), budget, gifts.recipient());
        var sendId = send.get("id").asString();
        assertThat(send.get("status").asString()).isEqualTo("pending_funds");

        try (BrowserContext context =
                browser.newContext(new Browser.NewContextOptions().setBaseURL("http://localhost:" + port))) {
            var page = context.newPage();
            page.navigate("/login");
            page.getByLabel("E-mail").fill(IdentityFixtures.BOOTSTRAP_ADMIN);
            page.getByLabel("Password").fill(IdentityFixtures.BOOTSTRAP_PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"))
                    .click();
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Gifts and budgets"))
                    .click();

            var row = page.locator("tr[data-budget-id='" + budget.get("id").asString() + "']");
            assertThat(row.locator(".available")).hasText("5.00 USD");
            assertThat(page.locator("tr[data-send-id='" + sendId + "']").first())
                    .containsText("pending_funds");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve " + sendId))
                    .click();
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("Top it up first");

            row.getByLabel("Amount to add to " + budget.get("name").asString()).fill("abc");
            row.getByRole(
                            AriaRole.BUTTON,
                            new Locator.GetByRoleOptions()
                                    .setName("Top up " + budget.get("name").asString()))
                    .click();
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("250.00");
            row.getByLabel("Amount to add to " + budget.get("name").asString()).fill("20.00");
            row.getByRole(
                            AriaRole.BUTTON,
                            new Locator.GetByRoleOptions()
                                    .setName("Top up " + budget.get("name").asString()))
                    .click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Added 20.00 USD");
            assertThat(row.locator(".available")).hasText("25.00 USD");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve " + sendId))
                    .click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Approved " + sendId);
            assertThat(row.locator(".available")).hasText("15.00 USD");
            Files.createDirectories(Path.of("target/screenshots"));
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Path.of("target/screenshots/console-gifts.png"))
                    .setFullPage(true));
        }
        assertThat(api.get("/v1/sends/" + sendId).json().get("status").asString())
                .isIn("approved", "clicked", "claimed");
        assertThat(api.get("/v1/budgets/" + budget.get("id").asString() + "/ledger?type=top_up")
                        .json()
                        .get("entries")
                        .get(0)
                        .get("actor")
                        .asString())
                .startsWith("user:");
    }
}
