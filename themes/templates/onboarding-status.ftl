<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("onboardingStatusTitle")}
    <#elseif section = "form">
        <div id="onboarding-status">
            <dl class="pf-v5-c-description-list pf-m-horizontal">
                <div class="pf-v5-c-description-list__group">
                    <dt class="pf-v5-c-description-list__term">${msg("onboardingStageLabel")}</dt>
                    <dd class="pf-v5-c-description-list__description" id="onboarding-stage" data-stage="${onboarding.stage}">${msg("onboardingStage." + onboarding.stage)}</dd>
                </div>
                <#if onboarding.deadline??>
                <div class="pf-v5-c-description-list__group">
                    <dt class="pf-v5-c-description-list__term">${msg("onboardingDeadlineLabel")}</dt>
                    <dd class="pf-v5-c-description-list__description" id="onboarding-deadline">${onboarding.deadline}</dd>
                </div>
                </#if>
            </dl>
            <p id="onboarding-next" class="pf-v5-u-mt-md">${msg("onboardingNext." + onboarding.nextStep)}</p>

            <#if onboarding.ceremonyStep??>
                <section id="onboarding-ceremony" class="pf-v5-u-mt-lg" aria-labelledby="onboarding-ceremony-title">
                    <h2 id="onboarding-ceremony-title" class="pf-v5-c-title pf-m-lg">${msg("onboardingCeremonyTitle")}</h2>
                    <p id="onboarding-ceremony-with">${msg("onboardingCeremonyWith", onboarding.verifierName, msg("onboardingStep." + onboarding.ceremonyStep), msg("onboardingMethod." + onboarding.ceremonyMethod))}</p>
                    <#if onboarding.passkeyNeeded?? && onboarding.passkeyNeeded>
                        <p id="onboarding-passkey-first" class="pf-v5-u-mt-md">${msg("onboardingPasskeyFirst")}</p>
                        <form id="onboarding-passkey-form" action="${url.loginAction}" method="post" class="pf-v5-u-mt-md">
                            <button type="submit" name="action" value="passkey" id="onboarding-register-passkey"
                                    class="pf-v5-c-button pf-m-primary">${msg("onboardingRegisterPasskey")}</button>
                        </form>
                    <#elseif onboarding.code??>
                        <p class="pf-v5-u-mt-md">${msg("onboardingCodeIntro")}</p>
                        <p id="onboarding-code" class="pf-v5-c-title pf-m-4xl pf-v5-u-text-align-center pf-v5-u-my-md"
                           aria-label="${msg("onboardingCodeLabel")}" aria-live="polite">${onboarding.code}</p>
                        <p id="onboarding-code-validity">${msg("onboardingCodeValidity", onboarding.codeMinutes?c)}</p>
                        <div class="pf-v5-c-alert pf-m-warning pf-m-inline pf-v5-u-mt-md" role="note">
                            <p class="pf-v5-c-alert__title">${msg("onboardingCodeWarning", onboarding.verifierName)}</p>
                        </div>
                    </#if>
                </section>
            <#elseif onboarding.nextStep == "DOCUMENT" || onboarding.nextStep == "IDENTITY" || onboarding.nextStep == "RECOVERY">
                <p id="onboarding-no-ceremony" class="pf-v5-u-mt-md">${msg("onboardingNoCeremony")}</p>
                <#if onboarding.bookingUrl?has_content>
                    <p class="pf-v5-u-mt-sm"><a id="onboarding-booking" href="${onboarding.bookingUrl}" target="_blank" rel="noopener noreferrer">${msg("onboardingBookCall")}</a></p>
                <#else>
                    <p id="onboarding-booking-sponsor" class="pf-v5-u-mt-sm">${msg("onboardingBookWithSponsor")}</p>
                </#if>
            </#if>

            <form id="onboarding-status-form" action="${url.loginAction}" method="post" class="pf-v5-u-mt-lg">
                <div class="pf-v5-c-form__actions">
                    <button type="submit" name="action" value="continue" id="onboarding-continue"
                            class="pf-v5-c-button pf-m-primary">${msg("onboardingContinue")}</button>
                    <button type="submit" name="action" value="refresh" id="onboarding-refresh"
                            class="pf-v5-c-button pf-m-secondary">${msg(onboarding.code???then("onboardingNewCode", "onboardingCheckAgain"))}</button>
                </div>
            </form>
        </div>
    </#if>
</@layout.registrationLayout>
