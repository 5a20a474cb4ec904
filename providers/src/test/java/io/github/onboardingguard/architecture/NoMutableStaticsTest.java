package io.github.onboardingguard.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Settings reach code by construction or through Keycloak's session factory, never by a factory's
 * {@code init} writing into another class's static field: such a field makes what a realm gets
 * depend on the order factories start in, and outlives a server restart inside one JVM (tests).
 * Read from the compiled classes, so every field counts, whatever its source formatting.
 */
@DisplayName("No class of the extension has a static field that is not final")
class NoMutableStaticsTest {

    private static final Path CLASSES = Path.of("target/classes");
    private static final String ROOT = "io/github/onboardingguard";

    @Test
    @DisplayName("every static field of the JAR's classes is final")
    void noMutableStatics() throws ClassNotFoundException {
        List<String> classes = classNames();
        assertThat(classes).as("the compiled classes are found").hasSizeGreaterThan(100);
        List<String> mutable = new java.util.ArrayList<>();
        for (String name : classes) {
            mutable.addAll(mutableStatics(Class.forName(name, false, getClass().getClassLoader())));
        }
        assertThat(mutable).isEmpty();
    }

    @Test
    @DisplayName("the check finds a planted static setting")
    void findsAPlantedStatic() {
        assertThat(mutableStatics(Planted.class)).containsExactly(Planted.class.getName() + ".allowedHosts");
    }

    static List<String> mutableStatics(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()))
                .filter(field -> !Modifier.isFinal(field.getModifiers()))
                .filter(field -> !field.isSynthetic())
                .map(Field::getName)
                .map(field -> type.getName() + "." + field)
                .toList();
    }

    private static List<String> classNames() {
        try (Stream<Path> files = Files.walk(CLASSES.resolve(ROOT))) {
            return files.filter(path -> path.toString().endsWith(".class"))
                    .map(path -> CLASSES.relativize(path).toString())
                    .map(path ->
                            path.substring(0, path.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the check exists to refuse: a setting a factory's init pushes into a lower layer. */
    static final class Planted {
        @SuppressWarnings("unused")
        private static volatile java.util.Set<String> allowedHosts = java.util.Set.of();

        private Planted() {}
    }
}
