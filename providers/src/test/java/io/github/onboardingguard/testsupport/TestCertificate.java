package io.github.onboardingguard.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throw-away self-signed certificate for a test server on this machine (made with the JDK's
 * keytool), and its PEM for the Keycloak container's truststore.
 */
public final class TestCertificate {

    private static final char[] PASSWORD = "test-certificate".toCharArray();
    private final Path keyStore;
    private final Path pem;

    private TestCertificate(Path keyStore, Path pem) {
        this.keyStore = keyStore;
        this.pem = pem;
    }

    public static TestCertificate forHost(String host) {
        try {
            Path dir = Files.createTempDirectory("test-certificate");
            Path keyStore = dir.resolve("server.p12");
            Path pem = dir.resolve("server.pem");
            String keytool =
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            run(List.of(
                    keytool,
                    "-genkeypair",
                    "-alias",
                    "server",
                    "-keyalg",
                    "EC",
                    "-validity",
                    "2",
                    "-dname",
                    "CN=" + host,
                    "-ext",
                    "SAN=dns:" + host,
                    "-keystore",
                    keyStore.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    new String(PASSWORD)));
            run(List.of(
                    keytool,
                    "-exportcert",
                    "-rfc",
                    "-alias",
                    "server",
                    "-keystore",
                    keyStore.toString(),
                    "-storepass",
                    new String(PASSWORD),
                    "-file",
                    pem.toString()));
            return new TestCertificate(keyStore, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command.subList(0, 2)) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The certificate alone, PEM: what a client must trust. */
    public Path pem() {
        return pem;
    }

    public SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
