<#ftl output_format="plainText">
${msg("onboardingRejectedBody", hireName, hireUsername, msg("onboardingStep." + step))}

${msg("onboardingRejectedReason")}: ${reason}
