<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("onboardingReverifyReminderBodyHtml", hireNameHtml, dueAt))?no_esc}
<#if bookingUrl?has_content>
<p>${kcSanitize(msg("onboardingReminderBookingHtml", bookingUrl))?no_esc}</p>
</#if>
</@layout.emailLayout>
