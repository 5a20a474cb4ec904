package io.github.onboardingguard.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookDestinationTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1/",
                "https://127.8.9.10:8443/x",
                "https://localhost/",
                "https://api.localhost/",
                "https://169.254.169.254/latest/meta-data/",
                "https://10.1.2.3/",
                "https://172.16.0.1/",
                "https://192.168.0.10/",
                "https://100.64.0.1/",
                "https://0.0.0.0/",
                "https://224.0.0.1/",
                "https://[::1]/",
                "https://[::]/",
                "https://[fe80::1]/",
                "https://[fd12:3456::1]/",
                "https://[::ffff:10.0.0.1]/",
                "https://2130706433/",
                "https://0x7f000001/",
                "https://017700000001/",
                "https://127.1/",
                "https://user:secret@example.com/",
                "ftp://example.com/",
                "https:///nohost",
                "https://example.com/#frag",
                "not a url"
            })
    @DisplayName("URLs that point inward, carry credentials or are not http(s) are refused when the policy is saved")
    void refusedAtSave(String url) {
        assertThat(WebhookDestination.problem(url)).as(url).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://siem.example.com/hooks/onboarding",
                "https://93.184.216.34/hook",
                "https://[2001:db8::1]/",
                "http://receiver.internal.example:8080/hook"
            })
    @DisplayName("public addresses and host names pass the save-time check (names are checked again at delivery)")
    void acceptedAtSave(String url) {
        assertThat(WebhookDestination.problem(url)).as(url).isEmpty();
    }

    @Test
    @DisplayName("a URL longer than 2048 characters is refused without echoing it")
    void tooLong() {
        String url = "https://example.com/" + "a".repeat(3000);
        assertThat(WebhookDestination.problem(url))
                .hasValueSatisfying(problem -> assertThat(problem).hasSizeLessThan(100));
    }

    @Test
    @DisplayName(
            "at delivery: a name resolving inward is refused unless the operator allows the host; http only to allowed hosts")
    void refusalAtDelivery() throws Exception {
        InetAddress[] internal = {InetAddress.getByName("10.0.0.7")};
        InetAddress[] external = {InetAddress.getByName("93.184.216.34")};
        URI siem = URI.create("https://siem.corp.example/hook");
        assertThat(WebhookDestination.refusal(siem, internal, Set.of(), true)).isPresent();
        assertThat(WebhookDestination.refusal(siem, internal, Set.of("siem.corp.example"), true))
                .isEmpty();
        assertThat(WebhookDestination.refusal(siem, external, Set.of(), true)).isEmpty();
        URI plain = URI.create("http://receiver.example/hook");
        assertThat(WebhookDestination.refusal(plain, external, Set.of(), true))
                .hasValueSatisfying(r -> assertThat(r).contains("http"));
        assertThat(WebhookDestination.refusal(plain, internal, Set.of("receiver.example"), true))
                .isEmpty();
        InetAddress[] mixed = {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1")};
        assertThat(WebhookDestination.refusal(siem, mixed, Set.of(), true))
                .as("any internal address refuses")
                .isPresent();
    }

    @Test
    @DisplayName("outside development mode plain http is refused, even to a host the operator allows")
    void httpsOutsideDevelopmentMode() throws Exception {
        InetAddress[] internal = {InetAddress.getByName("10.0.0.7")};
        URI plain = URI.create("http://receiver.example/hook");
        Set<String> allowed = Set.of("receiver.example");
        assertThat(WebhookDestination.schemeProblem(plain, false, allowed))
                .hasValueSatisfying(p -> assertThat(p).contains("https"));
        assertThat(WebhookDestination.refusal(plain, internal, allowed, false)).isPresent();
        assertThat(WebhookDestination.schemeProblem(plain, true, allowed)).isEmpty();
        assertThat(WebhookDestination.schemeProblem(plain, true, Set.of())).isPresent();
        URI tls = URI.create("https://receiver.example/hook");
        assertThat(WebhookDestination.schemeProblem(tls, false, Set.of())).isEmpty();
        assertThat(WebhookDestination.refusal(tls, internal, allowed, false)).isEmpty();
    }

    @Test
    @DisplayName("a receiver on this machine is taken only when named as a local receiver, and only that host")
    void localReceivers() {
        assertThat(WebhookDestination.problem("http://localhost:8099/hooks")).isPresent();
        assertThat(WebhookDestination.problem("http://localhost:8099/hooks", Set.of("localhost")))
                .isEmpty();
        assertThat(WebhookDestination.problem("http://127.0.0.1:8099/hooks", Set.of("localhost")))
                .as("another name for the machine is not the one allowed")
                .isPresent();
        assertThat(WebhookDestination.problem("http://localhost@evil.example/", Set.of("localhost")))
                .as("a user part is still refused")
                .isPresent();
        assertThat(WebhookDestination.problem("https://169.254.169.254/", Set.of("localhost")))
                .isPresent();
    }
}
