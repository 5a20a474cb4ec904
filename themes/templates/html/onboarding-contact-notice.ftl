<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("onboardingContactNoticeBodyHtml", realmName))?no_esc}
</@layout.emailLayout>
