<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg("onboardingRefusedTitle")}
    <#elseif section = "form">
        <div id="onboarding-refused" class="pf-v5-c-alert pf-m-info pf-m-inline" role="alert" aria-live="polite">
            <p class="pf-v5-c-alert__title" id="onboarding-refused-message">${msg(onboardingMessage, onboardingClient)}</p>
        </div>
        <p id="onboarding-refused-next" class="pf-v5-u-mt-md">${msg(onboardingMessage + "Next")}</p>
        <p id="onboarding-refused-stage" class="pf-v5-u-mt-md pf-v5-u-color-200">${msg("onboardingStageLabel")}: ${msg("onboardingStage." + onboardingStage)}</p>
    </#if>
</@layout.registrationLayout>
