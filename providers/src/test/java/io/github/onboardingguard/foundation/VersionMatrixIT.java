package io.github.onboardingguard.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The releases older than the supported range, as the matrix measures them: the packaged JAR in a
 * stock server of that version. The rest of the suite runs on the supported server version.
 */
@DisplayName("Version matrix: a Keycloak older than 26.7 refuses the JAR at start, naming both versions")
class VersionMatrixIT {

    /** {@code version=image} pairs, comma-separated, where scripts/test.sh built the images offline. */
    private static final String IMAGES_PROPERTY = "onboarding.olderKeycloakImages";

    static Stream<Arguments> olderServers() {
        String images = System.getProperty(IMAGES_PROPERTY, "");
        if (images.isBlank()) {
            // Plain 'mvn verify' with registry access: the official images of the matrix versions.
            return Arrays.stream(System.getProperty("keycloak.matrix.versions").split(","))
                    .map(version -> Arguments.of(version.trim(), "quay.io/keycloak/keycloak:" + version.trim()));
        }
        return Arrays.stream(images.split(","))
                .map(pair -> pair.split("=", 2))
                .map(pair -> Arguments.of(pair[0].trim(), pair[1].trim()));
    }

    @ParameterizedTest(name = "Keycloak {0}")
    @MethodSource("olderServers")
    void olderServerRefusesToStart(String version, String image) throws Exception {
        String name = "onboarding-matrix-" + UUID.randomUUID();
        try {
            docker("create", "--name", name, image, "start-dev");
            docker("cp", System.getProperty("onboarding.providerJar"), name + ":/opt/keycloak/providers/");
            Result started = run(List.of("docker", "start", "--attach", name), 240);
            assertThat(started.exitCode()).as(started.output()).isNotZero();
            assertThat(started.output()).contains("needs Keycloak 26.7 or later; this server is Keycloak " + version);
        } finally {
            run(List.of("docker", "rm", "--force", name), 60);
        }
    }

    private record Result(int exitCode, String output) {}

    private static void docker(String... arguments) throws IOException, InterruptedException {
        List<String> command =
                Stream.concat(Stream.of("docker"), Arrays.stream(arguments)).toList();
        Result result = run(command, 60);
        assertThat(result.exitCode()).as("%s: %s", command, result.output()).isZero();
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(
                process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
