<#ftl output_format="plainText">
${msg("onboardingRecoveryNoticeBody", hireName, msg("onboardingRecoveryHow." + how), link, linkHours?c)}
