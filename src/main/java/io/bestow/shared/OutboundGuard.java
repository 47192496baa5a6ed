package io.bestow.shared;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The guard against server-side request forgery for every outbound call (external actions, OAuth token calls,
 * webhook deliveries): a target must resolve only to public addresses, unless {@code BESTOW_OUTBOUND_ALLOW} (host
 * names and CIDR ranges, comma-separated) allows it. Loopback, private, carrier-grade NAT, link-local (which holds
 * the cloud metadata address 169.254.169.254), unique-local, multicast and unspecified addresses are refused. The
 * check runs on the resolved addresses, so a public-looking name that resolves to a private address is refused too,
 * and again on every redirect.
 */
@Component
public class OutboundGuard {

    /** Resolves a host name to its addresses; the system resolver, or a fixed table in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final List<Range> FORBIDDEN = List.of(
            Range.parse("0.0.0.0/8"),
            Range.parse("10.0.0.0/8"),
            Range.parse("100.64.0.0/10"),
            Range.parse("127.0.0.0/8"),
            Range.parse("169.254.0.0/16"),
            Range.parse("172.16.0.0/12"),
            Range.parse("192.0.0.0/24"),
            Range.parse("192.168.0.0/16"),
            Range.parse("198.18.0.0/15"),
            Range.parse("224.0.0.0/3"),
            Range.parse("::/128"),
            Range.parse("::1/128"),
            Range.parse("fc00::/7"),
            Range.parse("fe80::/10"),
            Range.parse("ff00::/8"));

    private final Set<String> allowedHosts = new HashSet<>();
    private final List<Range> allowedRanges = new ArrayList<>();
    private final Resolver resolver;

    @Autowired
    OutboundGuard(@Value("${bestow.outbound.allow:}") String allow) {
        this(allow, InetAddress::getAllByName);
    }

    public OutboundGuard(String allow, Resolver resolver) {
        this.resolver = resolver;
        for (var entry : allow.split(",")) {
            var value = entry.trim().toLowerCase(Locale.ROOT);
            if (value.isEmpty()) {
                continue;
            }
            if (value.contains("/")) {
                allowedRanges.add(Range.parse(value));
            } else {
                allowedHosts.add(value);
            }
        }
    }

    /** Passes when the URL may be called; otherwise throws {@link OutboundRefused} saying why. */
    public void check(URI url) {
        var scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new OutboundRefused("Only http and https URLs can be called, not " + url);
        }
        var host = url.getHost();
        if (host == null || host.isBlank()) {
            throw new OutboundRefused("The URL " + url + " has no host");
        }
        var name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (allowedHosts.contains(name)) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            throw new OutboundRefused("The host " + host + " cannot be resolved");
        }
        for (var address : addresses) {
            if (forbidden(address) && allowedRanges.stream().noneMatch(r -> r.contains(address))) {
                throw new OutboundRefused("The host " + host + " resolves to " + address.getHostAddress()
                        + ", a private, loopback or link-local address: calls there are refused unless"
                        + " BESTOW_OUTBOUND_ALLOW allows them");
            }
        }
    }

    private static boolean forbidden(InetAddress address) {
        var plain = unmapped(address);
        return FORBIDDEN.stream().anyMatch(r -> r.contains(plain));
    }

    /** An IPv4 address written as IPv6 ({@code ::ffff:10.0.0.1}) is checked as the IPv4 address it is. */
    private static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address) {
            var bytes = address.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= bytes[i] == 0;
            }
            if (mapped && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
                } catch (UnknownHostException e) {
                    return address;
                }
            }
        }
        return address;
    }

    /** An address range in CIDR notation. */
    private record Range(byte[] network, int bits) {

        static Range parse(String cidr) {
            var slash = cidr.indexOf('/');
            try {
                var network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
                return new Range(network, Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("Not a CIDR range: " + cidr);
            }
        }

        boolean contains(InetAddress address) {
            var bytes = unmapped(address).getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            var width = bytes.length * 8;
            var mask = BigInteger.ONE
                    .shiftLeft(width)
                    .subtract(BigInteger.ONE)
                    .shiftRight(bits)
                    .not();
            return new BigInteger(1, bytes).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }
}
