package io.github.onboardingguard.risk;

import java.util.regex.Pattern;

/**
 * The network a login came from: the /24 of an IPv4 address or the /64 of an IPv6 address, so
 * that a laptop farm is recognised even when its machines use neighbouring addresses. Parses
 * literals only; never resolves names.
 */
public final class AddressPrefix {

    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");

    private AddressPrefix() {}

    /** @return e.g. {@code 203.0.113.0/24} or {@code 2001:db8:0:1::/64}; null if not an IP literal */
    public static String of(String address) {
        if (address == null) {
            return null;
        }
        String trimmed = address.trim();
        var v4 = IPV4.matcher(trimmed);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return null;
                }
            }
            return v4.group(1) + "." + v4.group(2) + "." + v4.group(3) + ".0/24";
        }
        if (trimmed.startsWith("::ffff:") && IPV4.matcher(trimmed.substring(7)).matches()) {
            return of(trimmed.substring(7));
        }
        return ipv6Prefix(trimmed);
    }

    private static String ipv6Prefix(String address) {
        int zone = address.indexOf('%');
        String bare = zone >= 0 ? address.substring(0, zone) : address;
        if (!bare.matches("^[0-9A-Fa-f:]{2,39}$") || !bare.contains(":")) {
            return null;
        }
        int[] groups = new int[8];
        String[] halves = bare.split("::", -1);
        if (halves.length > 2) {
            return null;
        }
        String[] head = halves[0].isEmpty() ? new String[0] : halves[0].split(":");
        String[] tail = halves.length == 2 && !halves[1].isEmpty() ? halves[1].split(":") : new String[0];
        if (halves.length == 1 && head.length != 8 || head.length + tail.length > 8) {
            return null;
        }
        try {
            for (int i = 0; i < head.length; i++) {
                groups[i] = group(head[i]);
            }
            for (int i = 0; i < tail.length; i++) {
                groups[8 - tail.length + i] = group(tail[i]);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return String.format("%x:%x:%x:%x::/64", groups[0], groups[1], groups[2], groups[3]);
    }

    private static int group(String text) {
        if (text.isEmpty() || text.length() > 4) {
            throw new NumberFormatException(text);
        }
        return Integer.parseInt(text, 16);
    }
}
