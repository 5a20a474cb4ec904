<#import "template.ftl" as layout>
<@layout.emailLayout>
<#if inRecovery>
${kcSanitize(msg("onboardingRecoveryNoticeBodyHtml", hireNameHtml, msg("onboardingRecoveryHow." + how), link, linkHours?c))?no_esc}
<#else>
${kcSanitize(msg("onboardingHelpdeskNoticeBodyHtml", hireNameHtml, msg("onboardingRecoveryHow." + how), link, linkHours?c))?no_esc}
</#if>
</@layout.emailLayout>
