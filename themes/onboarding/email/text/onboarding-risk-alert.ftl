<#ftl output_format="plainText">
${msg("onboardingRiskBody", hireName, hireUsername)}

${msg("onboardingRiskRule")}: ${rule}
${msg("onboardingRiskAction")}: ${action} (${outcome})
${msg("onboardingRiskEvidence")}: ${evidence}
