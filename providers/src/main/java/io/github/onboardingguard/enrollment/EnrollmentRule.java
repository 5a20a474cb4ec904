package io.github.onboardingguard.enrollment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which newly created users get an onboarding case: a provisioning path (with the identity
 * provider's alias or the federation provider's name, or any), narrowed by a group, an
 * organization and a user attribute, all of which must hold. Written as one line, e.g.
 * {@code identity-provider:corporate group=/new-hires attribute=employeeType=new-hire}.
 *
 * @param source       null for any provider of the path
 * @param group        a group path the user must be in (or below), or null
 * @param organization the alias of an organization the user must be a member of, or null
 * @param attribute    a user attribute that must have {@code value}, or null
 */
public record EnrollmentRule(
        ProvisioningPath path, String source, String group, String organization, String attribute, String value) {

    private static final Pattern SOURCE = Pattern.compile("^[A-Za-z0-9_.-]{1,255}$");
    private static final Pattern ATTRIBUTE = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    private static final int MAX_TEXT = 255;

    /** Whether a user created as {@code user} falls under this rule. */
    public boolean matches(NewUser user) {
        if (user.path() != path || (source != null && !source.equals(user.source()))) {
            return false;
        }
        if (group != null && user.groupPaths().stream().noneMatch(p -> p.equals(group) || p.startsWith(group + "/"))) {
            return false;
        }
        if (organization != null && !user.organizations().contains(organization)) {
            return false;
        }
        return attribute == null
                || user.attributes().getOrDefault(attribute, List.of()).contains(value);
    }

    /** Whether this rule can match users of {@code path} from {@code source} (null: any). */
    public boolean covers(ProvisioningPath path, String source) {
        return this.path == path && (this.source == null || this.source.equals(source));
    }

    /** The rule as written, in a canonical order. */
    public String text() {
        StringBuilder text = new StringBuilder(path.token());
        if (source != null) {
            text.append(':').append(source);
        }
        if (group != null) {
            text.append(" group=").append(group);
        }
        if (organization != null) {
            text.append(" organization=").append(organization);
        }
        if (attribute != null) {
            text.append(" attribute=").append(attribute).append('=').append(value);
        }
        return text.toString();
    }

    /** Whether the rule asks for a membership (group, organization) that may come after the account's creation. */
    public boolean needsMembership() {
        return group != null || organization != null;
    }

    /** Whether the rule takes every user of its path and source. */
    public boolean unconditional() {
        return group == null && organization == null && attribute == null;
    }

    /** One line of the setting {@code key}; what is wrong with it goes to {@code problems}, naming the line. */
    public static Optional<EnrollmentRule> parse(String key, String line, List<String> problems) {
        List<String> own = new ArrayList<>();
        String[] parts = line.trim().split("\\s+");
        String head = parts[0];
        int colon = head.indexOf(':');
        String pathToken = colon < 0 ? head : head.substring(0, colon);
        String source = colon < 0 ? null : head.substring(colon + 1);
        ProvisioningPath path = ProvisioningPath.ofToken(pathToken).orElse(null);
        if (path == null) {
            own.add("unknown path '" + pathToken + "' (admin, scim, federation, identity-provider, registration)");
        } else if (source != null && !path.hasSource()) {
            own.add("'" + path.token() + "' takes no ':' name");
        } else if (source != null && !SOURCE.matcher(source).matches()) {
            own.add("'" + source + "' is not a provider name or alias");
        }
        String group = null;
        String organization = null;
        String attribute = null;
        String value = null;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int equals = part.indexOf('=');
            String condition = equals < 0 ? part : part.substring(0, equals);
            String rest = equals < 0 ? "" : part.substring(equals + 1);
            switch (condition) {
                case "group" -> {
                    if (group != null || !rest.startsWith("/") || rest.length() < 2 || rest.length() > MAX_TEXT) {
                        own.add("group= takes one group path, e.g. group=/new-hires");
                    } else {
                        group = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
                    }
                }
                case "organization" -> {
                    if (organization != null || !SOURCE.matcher(rest).matches()) {
                        own.add("organization= takes one organization alias, e.g. organization=acme");
                    } else {
                        organization = rest;
                    }
                }
                case "attribute" -> {
                    int second = rest.indexOf('=');
                    if (attribute != null
                            || second < 1
                            || second == rest.length() - 1
                            || rest.length() > MAX_TEXT
                            || !ATTRIBUTE.matcher(rest.substring(0, second)).matches()) {
                        own.add("attribute= takes one name=value, e.g. attribute=employeeType=new-hire");
                    } else {
                        attribute = rest.substring(0, second);
                        value = rest.substring(second + 1);
                    }
                }
                default -> own.add("unknown condition '" + condition + "' (group, organization, attribute)");
            }
        }
        if (path == ProvisioningPath.REGISTRATION && attribute != null) {
            // The registrant fills in their own attributes: they would simply leave it out.
            own.add("a registration rule cannot depend on an attribute: the registrant sets it");
        }
        own.forEach(problem -> problems.add(key + ": '" + line.trim() + "': " + problem));
        return own.isEmpty()
                ? Optional.of(new EnrollmentRule(path, source, group, organization, attribute, value))
                : Optional.empty();
    }
}
