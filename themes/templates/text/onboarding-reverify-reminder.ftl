<#ftl output_format="plainText">
${msg("onboardingReverifyReminderBody", hireName, dueAt)}
<#if bookingUrl?has_content>

${msg("onboardingReminderBooking", bookingUrl)}
</#if>
