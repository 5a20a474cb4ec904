<#ftl output_format="plainText">
<#if inRecovery>
${msg("onboardingRecoveryNoticeBody", hireName, msg("onboardingRecoveryHow." + how), link, linkHours?c)}
<#else>
${msg("onboardingHelpdeskNoticeBody", hireName, msg("onboardingRecoveryHow." + how), link, linkHours?c)}
</#if>
