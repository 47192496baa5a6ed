package io.bestow.shared;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OutboundHttpTests {

    static final WireMockServer server = new WireMockServer(options().dynamicPort());

    private final OutboundHttp http =
            new OutboundHttp(new OutboundGuard("localhost", java.net.InetAddress::getAllByName));

    @BeforeAll
    static void start() {
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void speaksPlainHttp11WithoutOfferingAnUpgrade() throws Exception {
        server.stubFor(post("/plain").willReturn(aResponse().withStatus(201).withBody("{\"ok\": true}")));

        var response = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/plain"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\": true}");
        server.verify(postRequestedFor(urlPathEqualTo("/plain"))
                .withHeader("Upgrade", absent())
                .withHeader("HTTP2-Settings", absent()));
    }

    @Test
    void followsARedirectOnTheSameHostWithItsHeaders() throws Exception {
        server.stubFor(get("/old").willReturn(aResponse().withStatus(302).withHeader("Location", "/new")));
        server.stubFor(get("/new").willReturn(aResponse().withStatus(200).withBody("moved")));

        var response = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/old"))
                .header("Authorization", "Bearer same-host")
                .build());

        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("moved");
        server.verify(getRequestedFor(urlPathEqualTo("/new")).withHeader("Authorization", equalTo("Bearer same-host")));
    }
}
