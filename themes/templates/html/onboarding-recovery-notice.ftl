<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("onboardingRecoveryNoticeBodyHtml", hireNameHtml, msg("onboardingRecoveryHow." + how), link, linkHours?c))?no_esc}
</@layout.emailLayout>
