package io.github.onboardingguard.keycloak.vendors;

import io.github.onboardingguard.webhooks.StandardWebhooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiPageProvider;

/** One vendor of the realm's vendors page: its name, signing secrets and the steps it may stand in for. */
record VendorSettings(String name, List<String> secrets, boolean documentStep, boolean identityStep) {

    static final String SECRET = "secret";
    static final String PREVIOUS_SECRET = "previousSecret";
    static final String DOCUMENT_STEP = "standsInForDocument";
    static final String IDENTITY_STEP = "standsInForIdentity";

    /** The name is part of the callback's path. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    static VendorSettings parse(String name, MultivaluedHashMap<String, String> config, List<String> problems) {
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("the name must be lower-case letters, digits and '-' (at most 63), as it is part of the "
                    + "callback address; was '" + name + "'");
        }
        List<String> secrets = new ArrayList<>();
        String secret = config.getFirst(SECRET);
        if (secret == null || !StandardWebhooks.validSecret(secret)) {
            problems.add(SECRET + " must be 'whsec_' followed by base64 of 24 to 64 bytes");
        } else {
            secrets.add(secret);
        }
        String previous = config.getFirst(PREVIOUS_SECRET);
        if (previous != null && !previous.isBlank()) {
            if (StandardWebhooks.validSecret(previous)) {
                secrets.add(previous);
            } else {
                problems.add(PREVIOUS_SECRET + " must be empty or 'whsec_' followed by base64 of 24 to 64 bytes");
            }
        }
        boolean document = Boolean.parseBoolean(config.getFirst(DOCUMENT_STEP));
        boolean identity = Boolean.parseBoolean(config.getFirst(IDENTITY_STEP));
        if (identity && !document) {
            problems.add(IDENTITY_STEP + " needs " + DOCUMENT_STEP + ": a vendor that may see the person checks the "
                    + "document too");
        }
        return new VendorSettings(name, List.copyOf(secrets), document, identity);
    }

    static Stream<ComponentModel> stored(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(component -> VendorPageFactory.PROVIDER_ID.equals(component.getProviderId()));
    }

    /** The realm's vendor of this name, if it is valid: a broken entry receives nothing. */
    static Optional<VendorSettings> find(RealmModel realm, String name) {
        return stored(realm)
                .filter(component -> component.getName().equals(name))
                .findFirst()
                .flatMap(component -> {
                    List<String> problems = new ArrayList<>();
                    VendorSettings settings = parse(component.getName(), component.getConfig(), problems);
                    return problems.isEmpty() ? Optional.of(settings) : Optional.empty();
                });
    }
}
