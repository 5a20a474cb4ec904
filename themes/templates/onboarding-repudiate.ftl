<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg("onboardingRepudiateTitle")}
    <#elseif section = "form">
        <div id="onboarding-repudiate-page">
            <p id="onboarding-repudiate-text">${msg("onboardingRepudiateText")}</p>
            <form id="onboarding-repudiate-form" action="${onboardingRepudiation.action}" method="post" class="pf-v5-u-mt-lg">
                <input type="hidden" name="key" value="${onboardingRepudiation.key}">
                <div class="pf-v5-c-form__actions">
                    <button type="submit" id="onboarding-repudiate" class="pf-v5-c-button pf-m-danger">${msg("onboardingRepudiateButton")}</button>
                </div>
            </form>
        </div>
    </#if>
</@layout.registrationLayout>
