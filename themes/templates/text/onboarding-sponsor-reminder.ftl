<#ftl output_format="plainText">
${msg("onboardingSponsorReminderBody", hireName, hireUsername, deadline)}
