package io.github.onboardingguard.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the project's stand-alone verifier, tools/verify-audit-export, on an export, as an auditor would. */
public final class AuditExportTool {

    public static final Path TOOL = Path.of(System.getProperty("basedir", "."), "..", "tools", "verify-audit-export");

    public record Outcome(int exitCode, String output) {}

    private AuditExportTool() {}

    public static Outcome verify(String export, String... options) {
        try {
            Path file = Files.createTempFile("onboarding-audit", ".jsonl");
            try {
                Files.writeString(file, export, StandardCharsets.UTF_8);
                List<String> command = new ArrayList<>(List.of("python3", TOOL.toString(), file.toString()));
                command.addAll(List.of(options));
                Process process =
                        new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("verify-audit-export did not finish: " + output);
                }
                return new Outcome(process.exitValue(), output.trim());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
