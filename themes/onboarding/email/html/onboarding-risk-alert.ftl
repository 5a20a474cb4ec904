<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("onboardingRiskBodyHtml", hireName, hireUsername))?no_esc}
<ul>
  <li>${msg("onboardingRiskRule")}: ${rule}</li>
  <li>${msg("onboardingRiskAction")}: ${action} (${outcome})</li>
  <li>${msg("onboardingRiskEvidence")}: ${evidence}</li>
</ul>
</@layout.emailLayout>
