<#ftl output_format="plainText">
${msg("onboardingExpiredBody", hireName, hireUsername, deadline)}
