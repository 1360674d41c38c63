package dev.unusd.hub.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import org.apache.hc.client5.http.DnsResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Keeps channel URLs from reaching into the hub's own network (SSRF): https only, to a host whose every address is
 * public. Checked when a channel is saved, and again by {@link #resolver()} when a delivery connects: the HTTP client
 * resolves the host through it, once, and connects to exactly the addresses it vetted, so a DNS answer that changes
 * between the check and the connection (DNS rebinding) cannot slip a private address in. With
 * {@code hub.notify.allow-private-targets} (demo, tests) loopback and private addresses and plain http are allowed.
 * A refusal tells the tenant only that the host is not public: which name resolves to which internal address, or
 * resolves at all, is the hub's network to know, and goes to the server log.
 */
@Component
class TargetGuard {

    /** What a tenant hears when a host does not resolve or resolves to an address a target may not have. */
    static final String NOT_PUBLIC = "must name a host that resolves to public addresses only";

    private static final Logger log = LoggerFactory.getLogger(TargetGuard.class);

    /** How a host name becomes addresses: the system's resolver, or a scripted one in tests. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] all(String host) throws UnknownHostException;
    }

    /** A host resolved to an address a target may not have: no connection is made. */
    static final class RefusedAddress extends UnknownHostException {

        RefusedAddress(String message) {
            super(message);
        }
    }

    private final boolean allowPlainHttp;
    private final Predicate<InetAddress> allowed;
    private final Lookup lookup;

    @Autowired
    TargetGuard(NotifyProperties properties) {
        this(properties.allowPrivateTargets());
    }

    TargetGuard(boolean allowPrivate) {
        this(allowPrivate, allowPrivate ? address -> true : TargetGuard::isPublic, InetAddress::getAllByName);
    }

    /** {@code allowed}: which addresses a target may resolve to; {@code lookup}: how names resolve. */
    TargetGuard(boolean allowPlainHttp, Predicate<InetAddress> allowed, Lookup lookup) {
        this.allowPlainHttp = allowPlainHttp;
        this.allowed = allowed;
        this.lookup = lookup;
    }

    /** Why this URL may not be a target, or empty when it may: its form, then where its host resolves now. */
    Optional<String> refusal(String url) {
        Optional<String> form = formRefusal(url);
        if (form.isPresent()) {
            return form;
        }
        String host = URI.create(url).getHost();
        try {
            vetted(host);
            return Optional.empty();
        } catch (RefusedAddress e) {
            return Optional.of(e.getMessage());
        } catch (UnknownHostException e) {
            log.info("Notification target refused: host {} does not resolve", host);
            return Optional.of(NOT_PUBLIC);
        }
    }

    /** Why this URL may not be a target by its form alone (scheme, host, user info, fragment); resolves nothing. */
    Optional<String> formRefusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("must be an absolute https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || allowPlainHttp && scheme.equals("http"))) {
            return Optional.of("must be an https URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return Optional.of("must be an https URL with a host and no user info");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        return Optional.empty();
    }

    /**
     * The host's addresses, every one of them allowed; else {@link RefusedAddress}, which names no address: the first
     * one not allowed goes to the log only.
     */
    InetAddress[] vetted(String host) throws UnknownHostException {
        // URI keeps the brackets of an IPv6 literal; the resolver takes it without them.
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = lookup.all(name);
        for (InetAddress address : addresses) {
            if (!allowed.test(address)) {
                log.info("Notification target refused: host {} resolves to {}, not a public address", name,
                        address.getHostAddress());
                throw new RefusedAddress(NOT_PUBLIC);
            }
        }
        return addresses;
    }

    /**
     * The HTTP client's resolver: every connection a delivery makes resolves its host here, once, and goes to the
     * addresses returned, all of them vetted. TLS still verifies, and SNI still names, the URL's host.
     */
    DnsResolver resolver() {
        return new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return vetted(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host; // only for SPNEGO, which deliveries never use; no second lookup
            }
        };
    }

    /**
     * Not loopback, link-local, private, carrier-grade NAT, unique-local, multicast, unspecified, benchmarking or
     * reserved; an IPv6 address that carries an IPv4 one (mapped, compatible, NAT64, 6to4, Teredo) reaches that IPv4
     * address, so that one is judged.
     */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return !(first == 0 || first >= 240 // this network, reserved and broadcast
                    || first == 100 && second >= 64 && second <= 127 // 100.64.0.0/10 carrier-grade NAT
                    || first == 192 && second == 0 && (b[2] & 0xff) == 0 // 192.0.0.0/24 protocol assignments
                    || first == 198 && (second == 18 || second == 19)); // 198.18.0.0/15 benchmarking
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return false; // fc00::/7 unique local
            }
            if (startsWith(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) {
                return false; // 64:ff9b:1::/48, NAT64 for local use (RFC 8215): the IPv4 side is the site's own
            }
            Optional<InetAddress> embedded = embeddedIpv4(b);
            return embedded.isEmpty() || isPublic(embedded.get());
        }
        return true;
    }

    /** The IPv4 address an IPv6 one leads to, by the prefixes that embed one. */
    private static Optional<InetAddress> embeddedIpv4(byte[] b) {
        if (startsWith(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff) // ::ffff:0:0/96 mapped
                || startsWith(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) // ::/96 compatible (deprecated, still routed)
                || startsWith(b, 0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0)) { // 64:ff9b::/96 NAT64 (RFC 6052)
            return Optional.of(ipv4(b[12], b[13], b[14], b[15]));
        }
        if (startsWith(b, 0x20, 0x02)) { // 2002::/16 6to4: the relay forwards to the address in bits 16-47
            return Optional.of(ipv4(b[2], b[3], b[4], b[5]));
        }
        if (startsWith(b, 0x20, 0x01, 0x00, 0x00)) { // 2001::/32 Teredo: the client's address, bits inverted
            return Optional.of(ipv4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]));
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] address, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((address[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte a, byte b, byte c, byte d) {
        try {
            return InetAddress.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a length other than 4 or 16
        }
    }
}
