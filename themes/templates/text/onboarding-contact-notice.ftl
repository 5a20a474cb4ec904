<#ftl output_format="plainText">
${msg("onboardingContactNoticeBody", realmName)}
