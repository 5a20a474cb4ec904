<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("onboardingExpiredBodyHtml", hireNameHtml, hireUsernameHtml, deadline))?no_esc}
</@layout.emailLayout>
