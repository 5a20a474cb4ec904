<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("onboardingExpiredBodyHtml", hireName, hireUsername, deadline))?no_esc}
</@layout.emailLayout>
