package io.bestow.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import io.bestow.BestowTest;
import io.bestow.TestApi;
import io.bestow.gifts.GiftFixtures;
import io.bestow.identity.IdentityFixtures;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The recipient's claim pages in a real Chromium, with the one-time code read from a real SMTP server (GreenMail): an
 * e-gift claimed, and a physical gift claimed with its address confirmed; the budget shows the hold and the capture.
 */
@BestowTest
class ClaimPagesBrowserIntegrationTests {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);

    static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    static Playwright playwright;
    static Browser browser;

    @LocalServerPort
    int port;

    TestApi api;
    GiftFixtures gifts;

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
    void fixtures() throws Exception {
        api = TestApi.at(port).as(IdentityFixtures.BOOTSTRAP_APP_ID, IdentityFixtures.BOOTSTRAP_APP_TOKEN);
        gifts = new GiftFixtures(api);
        Files.createDirectories(SCREENSHOTS);
    }

    @Test
    void aRecipientClaimsAnEGiftWithTheCodeFromTheirEmail() throws Exception {
        var budget = gifts.budget(10_000);
        var link = link(gifts.egift(1000), budget);
        var recipient = gifts.recipient();

        try (var context = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844))) {
            var page = context.newPage();
            page.navigate(link.get("url").asString());
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("A gift for you")))
                    .isVisible();
            shoot(page, "claim-1-email.png");
            page.getByLabel("Your e-mail address").fill(recipient + "@example.com");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send me a code"))
                    .click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Check your e-mail")))
                    .isVisible();
            shoot(page, "claim-2-code.png");

            page.getByLabel("Code from the e-mail").fill(codeFor(recipient + "@example.com"));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Claim my gift"))
                    .click();

            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Your gift is yours")))
                    .isVisible();
            assertThat(page.locator("#gift-code")).containsText("sandbox_send_");
            shoot(page, "claim-3-egift.png");
        }
        var ledger = api.get("/v1/budgets/" + budget.get("id").asString() + "/ledger")
                .json();
        assertThat(ledger.get("entries"))
                .extracting(e -> e.get("type").asString())
                .containsExactly("capture", "hold", "top_up");
        var gift = mailTo(recipient + "@example.com", "Your gift");
        assertThat(gift.getSubject()).startsWith("Your gift: Coffee");

        try (var context = browser.newContext()) {
            var page = context.newPage();
            var forged = page.request()
                    .post(
                            link.get("url").asString(),
                            RequestOptions.create()
                                    .setForm(FormData.create().set("email", recipient + "@example.com")));
            assertThat(forged.status()).isEqualTo(403);
            page.navigate("http://localhost:" + port + "/login");
            page.getByLabel("E-mail").fill(IdentityFixtures.BOOTSTRAP_ADMIN);
            page.getByLabel("Password").fill(IdentityFixtures.BOOTSTRAP_PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"))
                    .click();
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Outbox"))
                    .click();
            assertThat(page.locator("tr", new Page.LocatorOptions().setHasText(recipient))
                            .first())
                    .containsText("gift_link");
        }
    }

    @Test
    void aRecipientClaimsAPhysicalGiftAndConfirmsTheAddress() throws Exception {
        var budget = gifts.budget(10_000);
        var link = link(gifts.physical(4000, 500), budget);
        var recipient = gifts.recipient();

        try (var context = browser.newContext()) {
            var page = context.newPage();
            page.navigate(link.get("url").asString());
            page.getByLabel("Your e-mail address").fill(recipient + "@example.com");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send me a code"))
                    .click();
            page.getByLabel("Code from the e-mail")
                    .fill("000000".equals(codeFor(recipient + "@example.com")) ? "111111" : "000000");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Claim my gift"))
                    .click();
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("Tries left: 4");
            page.getByLabel("Code from the e-mail").fill(codeFor(recipient + "@example.com"));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Claim my gift"))
                    .click();

            assertThat(page.getByLabel("Street and number")).hasValue("1 Hauptstr.");
            assertThat(page.getByLabel("Country (two letters, such as DE)")).hasValue("DE");
            var held = api.get("/v1/budgets/" + budget.get("id").asString()).json();
            assertThat(held.get("held").asLong()).isEqualTo(4500);
            shoot(page, "claim-4-address.png");
            page.getByLabel("Street and number").fill("2 Ringstr.");
            page.getByLabel("City").fill("Köln");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Confirm the address"))
                    .click();

            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Thank you")))
                    .isVisible();
            shoot(page, "claim-5-confirmed.png");
        }
        var after = api.get("/v1/budgets/" + budget.get("id").asString()).json();
        assertThat(after.get("held").asLong()).isZero();
        assertThat(after.get("spent").asLong()).isEqualTo(4500);
        var sends = api.get("/v1/sends?budget_id=" + budget.get("id").asString())
                .json()
                .get("sends");
        assertThat(sends.get(0).get("status").asString()).isEqualTo("address_confirmed");
        assertThat(sends.get(0).get("address").get("city").asString()).isEqualTo("Köln");
    }

    private JsonNode link(JsonNode gift, JsonNode budget) {
        return GiftFixtures.created(api.post("/v1/gift-links", """
                {"campaign": "Browser %s", "gift_id": "%s", "budget_id": "%s", "message": "Thanks for being with us!"}
                """.formatted(
                        gift.get("id").asString().substring(5, 12),
                        gift.get("id").asString(),
                        budget.get("id").asString())));
    }

    /** The code of the latest code e-mail to the address, as GreenMail received it. */
    private String codeFor(String address) throws Exception {
        var message = mailTo(address, "Your code");
        var matcher = CODE.matcher(message.getSubject());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private MimeMessage mailTo(String address, String subjectStart) throws Exception {
        for (int i = 0; i < 100; i++) {
            var found = Arrays.stream(smtp.getReceivedMessages())
                    .filter(m -> {
                        try {
                            return m.getAllRecipients()[0].toString().equals(address)
                                    && m.getSubject().startsWith(subjectStart);
                        } catch (Exception e) {
                            return false;
                        }
                    })
                    .reduce((first, second) -> second);
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("No e-mail to " + address + " starting " + subjectStart);
    }

    private static void shoot(Page page, String name) {
        page.screenshot(
                new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name)).setFullPage(true));
    }
}
