package io.bestow.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundGuardTests {

    /** A resolver with fixed answers, so that names resolving to private addresses need no DNS. */
    private static final OutboundGuard.Resolver RESOLVER = host -> {
        var table = Map.of(
                "crm.example.com", "93.184.216.34",
                "internal.example.com", "10.1.2.3",
                "rebind.example.com", "192.168.1.20",
                "localhost", "127.0.0.1");
        var address = table.get(host);
        if (address == null) {
            if (Character.isDigit(host.charAt(0)) || host.contains(":")) {
                return new InetAddress[] {InetAddress.getByName(host)};
            }
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(address)};
    };

    private final OutboundGuard guard = new OutboundGuard("", RESOLVER);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1/",
                "http://localhost:8080/",
                "http://169.254.169.254/latest/meta-data",
                "http://10.0.0.1/",
                "http://172.16.5.4/",
                "http://192.168.0.1/",
                "http://100.64.0.1/",
                "http://0.0.0.0/",
                "http://[::1]/",
                "http://[::ffff:10.0.0.1]/",
                "http://[fd00:ec2::254]/",
                "http://[fe80::1]/",
                "http://internal.example.com/",
                "http://rebind.example.com/"
            })
    void refusesPrivateLoopbackLinkLocalAndMetadataTargets(String url) {
        assertThatThrownBy(() -> guard.check(URI.create(url)))
                .isInstanceOf(OutboundRefused.class)
                .hasMessageContaining("refused unless BESTOW_OUTBOUND_ALLOW allows them");
    }

    @Test
    void letsPublicTargetsThrough() {
        assertThatCode(() -> guard.check(URI.create("https://crm.example.com/api")))
                .doesNotThrowAnyException();
        assertThatCode(() -> guard.check(URI.create("http://93.184.216.34/"))).doesNotThrowAnyException();
    }

    @Test
    void refusesOtherSchemesAndUnknownHosts() {
        assertThatThrownBy(() -> guard.check(URI.create("file:///etc/passwd"))).isInstanceOf(OutboundRefused.class);
        assertThatThrownBy(() -> guard.check(URI.create("gopher://crm.example.com/")))
                .isInstanceOf(OutboundRefused.class);
        assertThatThrownBy(() -> guard.check(URI.create("http://nowhere.example.com/")))
                .hasMessageContaining("cannot be resolved");
    }

    @Test
    void theAllowListOpensHostsAndRanges() {
        var allowing = new OutboundGuard("localhost, 10.0.0.0/8 ,fd00::/8", RESOLVER);
        assertThatCode(() -> allowing.check(URI.create("http://localhost:9999/")))
                .doesNotThrowAnyException();
        assertThatCode(() -> allowing.check(URI.create("http://10.20.30.40/"))).doesNotThrowAnyException();
        assertThatCode(() -> allowing.check(URI.create("http://internal.example.com/")))
                .doesNotThrowAnyException();
        assertThatCode(() -> allowing.check(URI.create("http://[fd00:ec2::254]/")))
                .doesNotThrowAnyException();
        // The host name is allowed, not what it stands for: 127.0.0.1 written out stays refused.
        assertThatThrownBy(() -> allowing.check(URI.create("http://127.0.0.1:9999/")))
                .isInstanceOf(OutboundRefused.class);
        assertThatThrownBy(() -> allowing.check(URI.create("http://192.168.1.1/")))
                .isInstanceOf(OutboundRefused.class);
        assertThat(allowing).isNotNull();
    }
}
