package io.github.onboardingguard.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where risk alerts may be sent. A realm admin sets the URL, so the server must not become their
 * way into its own network: no loopback, link-local (cloud metadata), private or other internal
 * address, unless the server's operator named the host as an allowed internal receiver. Plain
 * {@code http} only on a server in development mode, and only to such hosts: in production a
 * receiver is reached over TLS. Checked when the URL is saved (what it says) and again before
 * every delivery (what the name resolves to then).
 */
public final class WebhookDestination {

    public static final int MAX_LENGTH = 2048;
    private static final Pattern NUMERIC_HOST = Pattern.compile("^[0-9.]+$|^0x", Pattern.CASE_INSENSITIVE);
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");

    private WebhookDestination() {}

    /** What is wrong with the URL itself, before any name is resolved; empty when nothing. */
    public static Optional<String> problem(String url) {
        return problem(url, Set.of());
    }

    /**
     * As {@link #problem(String)}, except that a host in {@code localReceivers} may be this machine or an
     * internal address: on a server in development mode, the operator's allowed hosts (a receiver on the
     * developer's machine); never in production, where that set is empty.
     */
    public static Optional<String> problem(String url, Set<String> localReceivers) {
        if (url.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return Optional.of("must be an https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            return Optional.of("must be an https URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry a user name or password; the signature authenticates the server");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        String host = host(uri);
        if (localReceivers.contains(host)) {
            return Optional.empty();
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return Optional.of("must not point at the server itself");
        }
        if (NUMERIC_HOST.matcher(host).find() && !DOTTED_QUAD.matcher(host).matches()) {
            return Optional.of("a numeric host must be written as a dotted IPv4 address");
        }
        Optional<InetAddress> literal = literalAddress(host);
        if (literal.isPresent() && isInternal(literal.get())) {
            return Optional.of("must not point at a loopback, link-local, private or other internal address");
        }
        return Optional.empty();
    }

    /**
     * What the server's own setting makes of the URL's scheme: plain {@code http} only in development
     * mode and to a host in {@code allowedHosts}.
     */
    public static Optional<String> schemeProblem(URI uri, boolean devMode, Set<String> allowedHosts) {
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            return Optional.empty();
        }
        if (!devMode) {
            return Optional.of("must be an https URL: plain http is only allowed on a server in development mode");
        }
        return allowedHosts.contains(host(uri))
                ? Optional.empty()
                : Optional.of("plain http is only allowed to hosts the server's operator allows");
    }

    /** The URL's host, lower case, without IPv6 brackets. */
    public static String host(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * Why a delivery to {@code uri}, whose name resolved to {@code addresses}, must not be made;
     * empty when it may. Hosts in {@code allowedHosts} (the operator's internal receivers) may be
     * internal; see {@link #schemeProblem} for plain http.
     */
    public static Optional<String> refusal(
            URI uri, InetAddress[] addresses, Set<String> allowedHosts, boolean devMode) {
        Optional<String> scheme = schemeProblem(uri, devMode, allowedHosts);
        if (scheme.isPresent() || allowedHosts.contains(host(uri))) {
            return scheme;
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return Optional.of("the host resolves to an internal address; the server's operator can allow it");
            }
        }
        return Optional.empty();
    }

    /** Loopback, unspecified, link-local, private (RFC 1918, unique local), shared (CGNAT), multicast, benchmark. */
    public static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isAnyLocalAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return true;
            }
            if (isMappedIpv4(bytes)) {
                byte[] v4 = {bytes[12], bytes[13], bytes[14], bytes[15]};
                try {
                    return isInternal(InetAddress.getByAddress(v4));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            return false;
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first == 0
                || first >= 240
                || first == 100 && second >= 64 && second < 128
                || first == 198 && (second == 18 || second == 19)
                || first == 192 && second == 0 && (bytes[2] & 0xff) == 0;
    }

    private static boolean isMappedIpv4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }

    private static Optional<InetAddress> literalAddress(String host) {
        if (!DOTTED_QUAD.matcher(host).matches() && !host.contains(":")) {
            return Optional.empty();
        }
        try {
            // A literal: no name is looked up.
            return Optional.of(host.contains(":") ? Inet6Address.getByName(host) : Inet4Address.getByName(host));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
