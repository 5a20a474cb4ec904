<#ftl output_format="plainText">
${msg("onboardingRiskBody", hireName, hireUsername)}

${msg("onboardingRiskRule")}: ${rule}
${msg("onboardingRiskAction")}: ${action} (${outcome})
${msg("onboardingRiskEvidence")}:
<#list evidence as line>
<#assign label = msg("onboardingEvidence." + line.name)>
- <#if label == "onboardingEvidence." + line.name>${line.name}<#else>${label}</#if>: ${line.value}
</#list>
