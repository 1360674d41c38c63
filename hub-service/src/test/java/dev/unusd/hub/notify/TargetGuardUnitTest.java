package dev.unusd.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class TargetGuardUnitTest {

    private final TargetGuard production = new TargetGuard(false);
    private final TargetGuard demo = new TargetGuard(true);

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/hook", "https://127.8.9.10/hook", "https://localhost/hook",
            "https://10.1.2.3/hook", "https://172.16.0.1/hook", "https://192.168.1.1/hook",
            "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/hook", "https://0.0.0.0/hook",
            "https://[::1]/hook", "https://[fd00::1]/hook", "https://[fe80::1]/hook", "https://[::ffff:10.0.0.1]/hook",
            "https://224.0.0.1/hook", "https://198.18.0.1/hook",
            // IPv6 addresses that lead to a private IPv4 one: NAT64, IPv4-compatible, 6to4, Teredo (client 10.0.0.5).
            "https://[64:ff9b::a00:5]/hook", "https://[64:ff9b::169.254.169.254]/latest/meta-data",
            "https://[::a9fe:a9fe]/latest/meta-data", "https://[::10.0.0.5]/hook", "https://[2002:a00:5::1]/hook",
            "https://[2002:7f00:1::]/hook", "https://[2001:0:4136:e378:8000:63bf:f5ff:fffa]/hook",
            // Local-use NAT64 reaches the site's own IPv4 network, whatever address it embeds.
            "https://[64:ff9b:1::808:808]/hook"})
    void privateLoopbackAndMetadataAddressesAreRefused(String url) {
        assertThat(production.refusal(url)).get().asString().contains("public addresses");
        assertThat(demo.refusal(url.replace("https://", "http://"))).isEmpty();
    }

    @Test
    void aNameWhoseIpv6AnswerCarriesAPrivateIpv4AddressIsRefused() {
        // What a DNS64 resolver answers for a name with only an A record: 10.0.3.7 behind the NAT64 prefix.
        TargetGuard guard = new TargetGuard(false, TargetGuard::isPublic,
                host -> new InetAddress[] {InetAddress.getByAddress(host, InetAddress.getByName("64:ff9b::a00:307")
                        .getAddress())});
        assertThat(guard.refusal("https://db.corp.internal/hook")).get().asString().contains("public addresses");
        TargetGuard publicAnswer = new TargetGuard(false, TargetGuard::isPublic,
                host -> new InetAddress[] {InetAddress.getByAddress(host, InetAddress.getByName("64:ff9b::808:808")
                        .getAddress())});
        assertThat(publicAnswer.refusal("https://hooks.example.com/hook")).isEmpty();
    }

    @Test
    void aRefusalTellsTheTenantNothingOfTheHubsDnsAndTheLogTellsTheOperator(CapturedOutput output) {
        TargetGuard guard = new TargetGuard(false, TargetGuard::isPublic, host -> switch (host) {
            case "db.corp.internal" -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {10, 0, 3, 7})};
            default -> throw new UnknownHostException(host);
        });
        String resolvesInside = guard.refusal("https://db.corp.internal/hook").orElseThrow();
        String resolvesNowhere = guard.refusal("https://nothing.corp.internal/hook").orElseThrow();
        assertThat(resolvesInside).as("no address, and the same whether the name exists or not")
                .isEqualTo("must name a host that resolves to public addresses only").isEqualTo(resolvesNowhere);
        assertThat(output.getOut()).contains(
                "Notification target refused: host db.corp.internal resolves to 10.0.3.7, not a public address",
                "Notification target refused: host nothing.corp.internal does not resolve");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://8.8.8.8/hook", "ftp://8.8.8.8/hook", "https:///hook", "hook",
            "https://user:pw@8.8.8.8/hook", "https://8.8.8.8/hook#fragment", "https://exa mple.com/"})
    void onlyHttpsUrlsWithAHostAreTargets(String url) {
        assertThat(production.refusal(url)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8/hook", "https://[2001:4860:4860::8888]/services/T0/B0/x",
            "https://1.1.1.1:8443/webhook?x=1", "https://[64:ff9b::808:808]/hook", "https://[2002:808:808::1]/hook",
            "https://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/hook"})
    void publicHttpsAddressesAreAllowed(String url) {
        assertThat(production.refusal(url)).isEmpty();
    }
}
