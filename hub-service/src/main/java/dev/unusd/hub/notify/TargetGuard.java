package dev.unusd.hub.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Keeps channel URLs from reaching into the hub's own network (SSRF): https only, to a host whose every address is
 * public. Checked when a channel is saved and again before each send, since DNS can change in between. With
 * {@code hub.notify.allow-private-targets} (demo, tests) loopback and private addresses and plain http are allowed.
 */
@Component
class TargetGuard {

    private final boolean allowPrivate;

    @Autowired
    TargetGuard(NotifyProperties properties) {
        this.allowPrivate = properties.allowPrivateTargets();
    }

    TargetGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Why this URL may not be a target, or empty when it may. */
    Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("must be an absolute https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || allowPrivate && scheme.equals("http"))) {
            return Optional.of("must be an https URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return Optional.of("must be an https URL with a host and no user info");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return Optional.of("host " + uri.getHost() + " does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    return Optional.of("must resolve to public addresses only (" + uri.getHost() + " is "
                            + address.getHostAddress() + ")");
                }
            }
        }
        return Optional.empty();
    }

    /** Not loopback, link-local, private, carrier-grade NAT, unique-local, multicast, unspecified or documentation. */
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
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // fc00::/7 unique local
            }
            boolean v4Mapped = true;
            for (int i = 0; i < 10; i++) {
                v4Mapped &= b[i] == 0;
            }
            if (v4Mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
