package io.github.onboardingguard.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The project's JSON schema of {@code verified_claims} (docs/schema), written from the final IDA schema definition. */
public final class IdaSchema {

    public static final Path FILE =
            Path.of(System.getProperty("basedir", "."), "..", "docs", "schema", "verified-claims-1.0.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = load();

    private IdaSchema() {}

    /** What the schema finds wrong with {@code {"verified_claims": claim}}; empty when it conforms. */
    public static List<String> errors(Object verifiedClaims) {
        JsonNode document = JSON.valueToTree(Map.of("verified_claims", verifiedClaims));
        return SCHEMA.validate(document).stream().map(Error::toString).toList();
    }

    private static Schema load() {
        try (InputStream in = Files.newInputStream(FILE)) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "The schema belongs at " + FILE.toAbsolutePath().normalize(), e);
        }
    }
}
