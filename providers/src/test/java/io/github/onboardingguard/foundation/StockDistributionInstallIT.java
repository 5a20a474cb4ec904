package io.github.onboardingguard.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The install path from the admin guide: drop the JAR into providers/ of a stock server and run kc.sh build. */
@DisplayName("Installing the JAR into a stock Keycloak distribution")
class StockDistributionInstallIT {

    @Test
    @DisplayName("passes kc.sh build and is picked up as a custom provider")
    void kcBuildAcceptsTheJar() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("onboarding.stockKeycloakHome"));
        Path jar = Path.of(System.getProperty("onboarding.providerJar"));
        assertThat(home.resolve("bin/kc.sh")).exists();
        Files.copy(jar, home.resolve("providers").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);

        File output = home.resolve("build-output.log").toFile();
        Process build = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "build")
                .redirectErrorStream(true)
                .redirectOutput(output)
                .start();
        assertThat(build.waitFor(5, TimeUnit.MINUTES))
                .as("kc.sh build finished in time")
                .isTrue();
        String log = Files.readString(output.toPath(), StandardCharsets.UTF_8);

        assertThat(build.exitValue())
                .as("exit code of kc.sh build; output:%n%s", log)
                .isZero();
        assertThat(log).contains("Server configuration updated and persisted");
        // Keycloak names each custom provider it found while augmenting the server.
        assertThat(log).contains("io.github.onboardingguard.keycloak.extension.OnboardingJpaEntityProviderFactory");
    }
}
