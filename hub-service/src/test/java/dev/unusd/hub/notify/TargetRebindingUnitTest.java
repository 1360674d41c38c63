package dev.unusd.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * DNS rebinding: a host that resolves to an allowed address when the guard checks it and to an internal one a moment
 * later must not reach the internal one. The sender resolves once per connection, through the guard, and connects to
 * what the guard vetted. Real HTTP receivers on the loopback; the host names resolve by script.
 */
class TargetRebindingUnitTest {

    /** Answers each lookup with the next address of the script; the last one again once it runs out. */
    private static final class ScriptedDns implements TargetGuard.Lookup {
        private final List<String> answers;
        private final List<String> asked = new ArrayList<>();

        ScriptedDns(String... answers) {
            this.answers = List.of(answers);
        }

        @Override
        public synchronized InetAddress[] all(String host) throws UnknownHostException {
            asked.add(host);
            String answer = answers.get(Math.min(asked.size(), answers.size()) - 1);
            return new InetAddress[] {InetAddress.getByAddress(host, InetAddress.getByName(answer).getAddress())};
        }

        synchronized List<String> asked() {
            return List.copyOf(asked);
        }
    }

    private static final ChannelSender.Event EVENT = new ChannelSender.Event(UUID.randomUUID(), "notification.test",
            UUID.randomUUID(), Instant.parse("2026-12-07T08:00:00Z"), "{}");

    @Test
    void theConnectionGoesToTheAddressTheGuardVettedNotToWhatTheNameResolvesToLater() throws Exception {
        // The machine may reach no public address: 127.0.0.2 stands for the one public address the guard allows,
        // 127.0.0.1 for the hub's internal network. Both receivers listen on the same port.
        try (Receiver allowed = new Receiver("127.0.0.2", 0); Receiver internal = new Receiver("127.0.0.1", allowed.port())) {
            ScriptedDns dns = new ScriptedDns("127.0.0.2", "127.0.0.2", "127.0.0.1");
            TargetGuard guard = new TargetGuard(true, a -> a.getHostAddress().equals("127.0.0.2"), dns);
            ChannelSender sender = new ChannelSender(guard, NotificationFormatsUnitTest.properties(""));
            String url = "http://rebind.test:" + allowed.port() + "/hook";

            assertThat(guard.refusal(url)).as("checked when the channel is saved").isEmpty();
            ChannelSender.Attempt attempt = sender.send(ChannelType.WEBHOOK, url, null, EVENT);

            assertThat(attempt.delivered()).as(String.valueOf(attempt.error())).isTrue();
            assertThat(dns.asked()).as("one lookup to check, one to connect; none after the check")
                    .containsExactly("rebind.test", "rebind.test");
            assertThat(allowed.requests("/hook")).hasSize(1);
            assertThat(allowed.requests("/hook").get(0).header("host")).as("the URL's host name, not the address")
                    .isEqualTo("rebind.test:" + allowed.port());
            assertThat(internal.all()).isEmpty();

            // The name now answers the internal address: a new connection is refused before it is made.
            ChannelSender fresh = new ChannelSender(guard, NotificationFormatsUnitTest.properties(""));
            ChannelSender.Attempt rebound = fresh.send(ChannelType.WEBHOOK, url, null, EVENT);
            assertThat(rebound.delivered()).isFalse();
            assertThat(rebound.statusCode()).isNull();
            assertThat(rebound.error()).as("the tenant reads it: no internal address")
                    .isEqualTo("target refused: must name a host that resolves to public addresses only");
            assertThat(internal.all()).isEmpty();
            sender.close();
            fresh.close();
        }
    }

    @Test
    void withTheProductionPolicyANameThatTurnsIntoLoopbackAfterTheCheckIsNeverConnectedTo() throws Exception {
        try (Receiver internal = new Receiver("127.0.0.1", 0)) {
            // Public when the channel is saved (a documentation address, never connected to), loopback afterwards.
            ScriptedDns dns = new ScriptedDns("203.0.113.10", "127.0.0.1");
            TargetGuard guard = new TargetGuard(false, TargetGuard::isPublic, dns);
            ChannelSender sender = new ChannelSender(guard, NotificationFormatsUnitTest.properties(""));
            String url = "https://rebind.test:" + internal.port() + "/hook";

            assertThat(guard.refusal(url)).isEmpty();
            ChannelSender.Attempt attempt = sender.send(ChannelType.SLACK, url, null, EVENT);

            assertThat(attempt.error())
                    .isEqualTo("target refused: must name a host that resolves to public addresses only");
            assertThat(dns.asked()).hasSize(2);
            assertThat(internal.all()).isEmpty();
            sender.close();
        }
    }
}
