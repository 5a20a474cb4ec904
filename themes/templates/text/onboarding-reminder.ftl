<#ftl output_format="plainText">
${msg("onboardingReminderBody", hireName, deadline)}
<#if bookingUrl?has_content>

${msg("onboardingReminderBooking", bookingUrl)}
</#if>
