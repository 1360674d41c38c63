package dev.unusd.hub.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.account.AccountRef;
import dev.unusd.spokesim.Scenario;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * More calls than connections: the calls beyond them wait their turn in the hub, for as long as that takes, and none
 * fails for want of a connection. In the HTTP client's pool the wait counted against the call's attempt timeout, and a
 * call that waited too long failed, and with it its target (a thousand targets in flight at 100 ms per answer).
 */
class SpokeConnectionsIntegrationTest {

    private static final String EXTERNAL_ID = "ext-connections";

    @Test
    void callsBeyondTheConnectionsWaitTheirTurnAndNoneFails() throws Exception {
        Scenario.Account simAccount = TestSpokeClients.oneKeyAccount(EXTERNAL_ID, 120);
        // One connection, one attempt of at most 5 s per call: 100 calls of 120 ms each need 12 s.
        AwsProperties properties = new AwsProperties("us-east-1", 1, 1, 8, Duration.ofMinutes(1),
                Duration.ofSeconds(5), Duration.ofHours(1), Map.of());
        AccountRef account = TestSpokeClients.account(simAccount, EXTERNAL_ID, "eu-west-1");
        SpokeClients clients = null;
        try (StsClient sts = StsClient.builder().region(Region.US_EAST_1).build();
                ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            clients = new SpokeClients(sts, properties, new SpokePacing(properties),
                    new AwsCallMetrics(new SimpleMeterRegistry()));
            SpokeRegion region = clients.connect(account, "eu-west-1");
            String key = region.call(SpokeAction.LIST_KEYS, () -> region.kms().listKeys()).keys().get(0).keyArn();

            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                calls.add(callers.submit(() -> region.call(SpokeAction.DESCRIBE_KEY,
                        () -> region.kms().describeKey(r -> r.keyId(key))).keyMetadata().arn()));
            }

            for (Future<String> call : calls) {
                assertThat(call.get()).isEqualTo(key);
            }
        } finally {
            if (clients != null) {
                clients.destroy();
            }
        }
    }
}
