<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("onboardingSponsorReminderBodyHtml", hireNameHtml, hireUsernameHtml, deadline))?no_esc}
</@layout.emailLayout>
