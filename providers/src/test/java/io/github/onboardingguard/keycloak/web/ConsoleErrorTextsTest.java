package io.github.onboardingguard.keycloak.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every error code the APIs can answer with has a text in each of the console's languages. */
class ConsoleErrorTextsTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path CONSOLE = Path.of("src/main/resources/onboarding-console");
    /** Codes passed to ApiError, plus those its factory methods set themselves. */
    private static final Pattern CODE = Pattern.compile(
            "ApiError\\.(?:conflict|forbidden|of|withHeader)\\([^\"]*\"([a-z_]+)\"|new ApiError\\([^\"]*\"([a-z_]+)\"");

    @Test
    void everyApiErrorCodeIsTranslated() throws IOException {
        Set<String> codes = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file :
                    files.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher matcher = CODE.matcher(Files.readString(file));
                while (matcher.find()) {
                    codes.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
                }
            }
        }
        assertThat(codes)
                .contains("invalid_request", "not_found", "forbidden", "unauthorized", "wrong_code", "ceremony_locked");
        for (String language : new String[] {"en", "de"}) {
            String messages = Files.readString(CONSOLE.resolve("messages-" + language + ".json"));
            for (String code : codes) {
                if (!code.equals("wrong_code")) {
                    assertThat(messages)
                            .as("%s text of error %s", language, code)
                            .contains("\"error." + code + "\"");
                }
            }
        }
    }
}
