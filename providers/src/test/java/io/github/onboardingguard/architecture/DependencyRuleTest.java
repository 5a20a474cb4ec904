package io.github.onboardingguard.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of docs/architecture.md, read from the sources' import lines (and any fully
 * qualified name): the Keycloak adapters form one acyclic layering, and the pure packages know
 * nothing of Keycloak.
 */
@DisplayName("Package dependencies follow the documented layering")
class DependencyRuleTest {

    private static final String ROOT = "io.github.onboardingguard";
    private static final Path SOURCES = Path.of("src/main/java/io/github/onboardingguard");
    private static final Pattern REFERENCE =
            Pattern.compile("\\bio\\.github\\.onboardingguard\\.keycloak\\.([a-z]+)\\.");
    /** A reference to a type of any package of the JAR, e.g. {@code io.github.onboardingguard.keycloak.cases.CaseStore}. */
    private static final Pattern ANY_REFERENCE =
            Pattern.compile("\\bio\\.github\\.onboardingguard\\.((?:keycloak\\.)?[a-z]+)\\.[A-Z]");

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    /** Lower layers first; a package may use only packages of an earlier layer. */
    static final List<Set<String>> LAYERS = List.of(
            Set.of("support"),
            Set.of("audit"),
            Set.of("policy"),
            Set.of("webhooks"),
            Set.of("cases"),
            Set.of("enrollment", "invitations", "workflows", "pipeline"),
            Set.of("probation"),
            Set.of("verification"),
            Set.of("risk"),
            Set.of("recovery", "vendors"),
            Set.of("admin", "web", "extension"));

    static final Set<String> PURE = Set.of(
            "onboarding", "verification", "audit", "risk", "webhooks", "enrollment", "bulk", "pipeline", "vendors");

    @Test
    @DisplayName("every keycloak/* package is in exactly one layer")
    void everyAdapterPackageHasALayer() {
        Set<String> layered = new TreeSet<>();
        LAYERS.forEach(layered::addAll);
        assertThat(adapterPackages()).isEqualTo(layered);
    }

    @Test
    @DisplayName("a keycloak/* package uses only packages of lower layers")
    void adaptersDependOnlyDownwards() {
        List<String> violations = new ArrayList<>();
        adapterDependencies()
                .forEach((from, targets) -> targets.forEach(to -> {
                    if (layerOf(to) >= layerOf(from)) {
                        violations.add("keycloak/" + from + " -> keycloak/" + to);
                    }
                }));
        assertThat(violations).as("dependencies against the layering").isEmpty();
    }

    @Test
    @DisplayName("no cycle between keycloak/* packages")
    void noCycles() {
        assertThat(cycles(adapterDependencies())).as("package cycles").isEmpty();
    }

    @Test
    @DisplayName("nothing imports the composition root")
    void nothingDependsOnTheExtensionRoot() {
        adapterDependencies()
                .forEach((from, targets) ->
                        assertThat(targets).as("keycloak/%s", from).doesNotContain("extension"));
    }

    @Test
    @DisplayName("pure packages use no Keycloak, JAX-RS or JPA type and no adapter")
    void purePackagesStayPure() {
        List<String> violations = new ArrayList<>();
        for (String pure : PURE) {
            for (Path file : javaFiles(SOURCES.resolve(pure))) {
                for (String imported : imports(read(file))) {
                    if (imported.startsWith("org.keycloak.")
                            || imported.startsWith("jakarta.")
                            || imported.startsWith(ROOT + ".keycloak.")) {
                        violations.add(SOURCES.relativize(file) + " imports " + imported);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    @DisplayName("no cycle between any packages of the JAR, pure ones included")
    void noCyclesAnywhere() {
        Map<String, Set<String>> graph = allDependencies();
        assertThat(graph.keySet())
                .as("every package of the JAR is in the graph")
                .contains(
                        "onboarding",
                        "verification",
                        "audit",
                        "risk",
                        "webhooks",
                        "keycloak.cases",
                        "keycloak.extension");
        assertThat(cycles(graph)).as("package cycles").isEmpty();
    }

    @Test
    @DisplayName("the cycle check finds a back-edge when one is added, between adapters and between pure packages")
    void cycleCheckSeesABackEdge() {
        Map<String, Set<String>> withBackEdge = new TreeMap<>(adapterDependencies());
        withBackEdge.put("support", new TreeSet<>(Set.of("risk")));
        assertThat(cycles(withBackEdge)).isNotEmpty();

        Map<String, Set<String>> pureBackEdge = new TreeMap<>(allDependencies());
        pureBackEdge.put("risk", new TreeSet<>(Set.of("onboarding")));
        assertThat(cycles(pureBackEdge))
                .as("a cycle of exactly onboarding and risk, from whichever end it is found")
                .anyMatch(cycle -> new TreeSet<>(List.of(cycle.split(" -> ")))
                        .equals(new TreeSet<>(Set.of("onboarding", "risk"))));
    }

    /** Every package of the JAR ("onboarding", "keycloak.cases", ...) → the packages it references, itself left out. */
    static Map<String, Set<String>> allDependencies() {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> dirs = Files.walk(SOURCES)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                List<Path> files = javaFiles(dir);
                if (files.isEmpty()) {
                    continue;
                }
                String pkg =
                        SOURCES.relativize(dir).toString().replace('/', '.').replace('\\', '.');
                Set<String> targets = new TreeSet<>();
                for (Path file : files) {
                    Matcher matcher = ANY_REFERENCE.matcher(read(file));
                    while (matcher.find()) {
                        if (!matcher.group(1).equals(pkg)) {
                            targets.add(matcher.group(1));
                        }
                    }
                }
                graph.put(pkg, targets);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    private static int layerOf(String adapterPackage) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(adapterPackage)) {
                return i;
            }
        }
        throw new AssertionError("keycloak/" + adapterPackage + " is in no layer");
    }

    /** Package → adapter packages it references, self-references left out. */
    static Map<String, Set<String>> adapterDependencies() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String pkg : adapterPackages()) {
            Set<String> targets = new TreeSet<>();
            for (Path file : javaFiles(SOURCES.resolve("keycloak").resolve(pkg))) {
                Matcher matcher = REFERENCE.matcher(read(file));
                while (matcher.find()) {
                    if (!matcher.group(1).equals(pkg)) {
                        targets.add(matcher.group(1));
                    }
                }
            }
            graph.put(pkg, targets);
        }
        return graph;
    }

    /** Each cycle as a path "a -> b -> a"; depth-first search with the nodes on the current path. */
    static List<String> cycles(Map<String, Set<String>> graph) {
        List<String> found = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String start : graph.keySet()) {
            walk(start, graph, new ArrayList<>(), done, found);
        }
        return found;
    }

    private static void walk(
            String node, Map<String, Set<String>> graph, List<String> path, Set<String> done, List<String> found) {
        int onPath = path.indexOf(node);
        if (onPath >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(onPath, path.size()));
            cycle.add(node);
            found.add(String.join(" -> ", cycle));
            return;
        }
        if (!done.add(node)) {
            return;
        }
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            walk(next, graph, path, done, found);
        }
        path.remove(path.size() - 1);
    }

    private static Set<String> adapterPackages() {
        try (Stream<Path> dirs = Files.list(SOURCES.resolve("keycloak"))) {
            Set<String> names = new TreeSet<>();
            dirs.filter(Files::isDirectory)
                    .forEach(dir -> names.add(dir.getFileName().toString()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir, 1)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> imports(String source) {
        List<String> result = new ArrayList<>();
        Matcher matcher = IMPORT.matcher(source);
        while (matcher.find()) {
            result.add(matcher.group(2));
        }
        return result;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
