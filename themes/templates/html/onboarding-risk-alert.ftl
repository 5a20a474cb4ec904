<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("onboardingRiskBodyHtml", hireNameHtml, hireUsernameHtml))?no_esc}
<ul>
  <li>${msg("onboardingRiskRule")}: ${rule}</li>
  <li>${msg("onboardingRiskAction")}: ${action} (${outcome})</li>
</ul>
<p>${msg("onboardingRiskEvidence")}:</p>
<table>
<#list evidence as line>
  <#assign label = msg("onboardingEvidence." + line.name)>
  <tr><th style="text-align:left;padding-right:1em"><#if label == "onboardingEvidence." + line.name>${line.name}<#else>${label}</#if></th><td>${line.value}</td></tr>
</#list>
</table>
</@layout.emailLayout>
