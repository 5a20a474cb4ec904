package io.github.onboardingguard.risk;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Countries of address ranges from a file the admin provides ({@code 203.0.113.0/24,NL} per line,
 * {@code #} comments), for setups without a proxy that names the country. The most specific range
 * wins. Literals only: nothing is ever resolved or looked up online.
 */
public final class CountryRanges {

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");

    private record Range(byte[] network, int prefixLength, String country) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;

    private CountryRanges(List<Range> ranges) {
        this.ranges = ranges;
    }

    public static CountryRanges none() {
        return new CountryRanges(List.of());
    }

    /** @throws IllegalArgumentException naming the first bad line */
    public static CountryRanges parse(List<String> lines) {
        List<Range> ranges = new ArrayList<>();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s*,\\s*");
            String[] cidr = parts[0].split("/");
            String country = parts.length == 2 ? parts[1].toUpperCase(Locale.ROOT) : "";
            byte[] network = parts.length == 2 && cidr.length == 2 ? literal(cidr[0]) : null;
            int length;
            try {
                length = cidr.length == 2 ? Integer.parseInt(cidr[1]) : -1;
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (network == null
                    || length < 0
                    || length > network.length * 8
                    || !COUNTRY.matcher(country).matches()) {
                throw new IllegalArgumentException("line " + number + ": expected 'address/prefix,CC' such as "
                        + "'203.0.113.0/24,NL', was '" + line + "'");
            }
            ranges.add(new Range(network, length, country));
        }
        ranges.sort(Comparator.comparingInt(Range::prefixLength).reversed());
        return new CountryRanges(List.copyOf(ranges));
    }

    public Optional<String> lookup(String address) {
        byte[] bytes = literal(address);
        if (bytes == null) {
            return Optional.empty();
        }
        return ranges.stream()
                .filter(range -> range.contains(bytes))
                .map(Range::country)
                .findFirst();
    }

    public int size() {
        return ranges.size();
    }

    /** Parses an IP literal; anything that is not one is refused before it could reach a resolver. */
    private static byte[] literal(String address) {
        if (address == null) {
            return null;
        }
        String trimmed = address.trim();
        if (!IPV4.matcher(trimmed).matches() && !(trimmed.contains(":") && trimmed.matches("^[0-9A-Fa-f:.]+$"))) {
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(trimmed).getAddress();
            if (bytes.length == 16 && trimmed.startsWith("::ffff:")) {
                return java.util.Arrays.copyOfRange(bytes, 12, 16);
            }
            return bytes;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
