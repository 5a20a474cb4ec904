package io.github.onboardingguard.keycloak.recovery;

import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.authentication.actiontoken.AbstractActionTokenHandler;
import org.keycloak.authentication.actiontoken.ActionTokenContext;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.messages.Messages;

/** Serves the "this wasn't me" link of a recovery notice: Keycloak checks the token, this asks to confirm. */
public final class RepudiationActionTokenHandler extends AbstractActionTokenHandler<RepudiationActionToken> {

    public RepudiationActionTokenHandler() {
        super(
                RepudiationActionToken.TOKEN_TYPE,
                RepudiationActionToken.class,
                Messages.INVALID_CODE,
                EventType.EXECUTE_ACTION_TOKEN,
                Errors.INVALID_TOKEN);
    }

    @Override
    public boolean canUseTokenRepeatedly(
            RepudiationActionToken token, ActionTokenContext<RepudiationActionToken> context) {
        return true;
    }

    /** A page asking to confirm; only the confirmation, posted, changes anything (see {@link Repudiations}). */
    @Override
    public Response handleToken(RepudiationActionToken token, ActionTokenContext<RepudiationActionToken> context) {
        KeycloakSession session = context.getSession();
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("action", Repudiations.confirmationAddress(session, context.getRealm()));
        form.put("key", context.getAuthenticationSession().getAuthNote(Constants.KEY));
        return session.getProvider(LoginFormsProvider.class)
                .setAuthenticationSession(context.getAuthenticationSession())
                .setAttribute("onboardingRepudiation", form)
                .createForm(Repudiations.TEMPLATE);
    }
}
