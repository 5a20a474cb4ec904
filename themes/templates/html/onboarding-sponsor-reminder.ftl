<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("onboardingSponsorReminderBodyHtml", hireName, hireUsername, deadline))?no_esc}
</@layout.emailLayout>
