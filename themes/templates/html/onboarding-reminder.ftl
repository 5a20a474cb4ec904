<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("onboardingReminderBodyHtml", hireNameHtml, deadline))?no_esc}
<#if bookingUrl?has_content>
<p>${kcSanitize(msg("onboardingReminderBookingHtml", bookingUrl))?no_esc}</p>
</#if>
</@layout.emailLayout>
