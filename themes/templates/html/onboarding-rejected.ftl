<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("onboardingRejectedBodyHtml", hireNameHtml, hireUsernameHtml, msg("onboardingStep." + step)))?no_esc}
<p>${msg("onboardingRejectedReason")}: ${reason}</p>
</@layout.emailLayout>
