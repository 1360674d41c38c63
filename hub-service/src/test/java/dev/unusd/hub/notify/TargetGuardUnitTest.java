package dev.unusd.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetGuardUnitTest {

    private final TargetGuard production = new TargetGuard(false);
    private final TargetGuard demo = new TargetGuard(true);

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/hook", "https://127.8.9.10/hook", "https://localhost/hook",
            "https://10.1.2.3/hook", "https://172.16.0.1/hook", "https://192.168.1.1/hook",
            "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/hook", "https://0.0.0.0/hook",
            "https://[::1]/hook", "https://[fd00::1]/hook", "https://[fe80::1]/hook", "https://[::ffff:10.0.0.1]/hook",
            "https://224.0.0.1/hook", "https://198.18.0.1/hook"})
    void privateLoopbackAndMetadataAddressesAreRefused(String url) {
        assertThat(production.refusal(url)).get().asString().contains("public addresses");
        assertThat(demo.refusal(url.replace("https://", "http://"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://8.8.8.8/hook", "ftp://8.8.8.8/hook", "https:///hook", "hook",
            "https://user:pw@8.8.8.8/hook", "https://8.8.8.8/hook#fragment", "https://exa mple.com/"})
    void onlyHttpsUrlsWithAHostAreTargets(String url) {
        assertThat(production.refusal(url)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8/hook", "https://[2001:4860:4860::8888]/services/T0/B0/x",
            "https://1.1.1.1:8443/webhook?x=1"})
    void publicHttpsAddressesAreAllowed(String url) {
        assertThat(production.refusal(url)).isEmpty();
    }
}
