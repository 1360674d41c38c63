package dev.unusd.hub.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.account.AccountRef;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.Scenario;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * An assumed-role session lives while scans use it: closed once no region has used it for a while, so its background
 * refresh stops assuming the role in the customer's account between scans; never while a region is still in use.
 */
class SpokeSessionsIntegrationTest {

    private static final String EXTERNAL_ID = "ext-sessions";

    @Test
    void aSessionIsClosedOnceIdleNeverWhileARegionUsesIt() {
        Scenario.Account simAccount = TestSpokeClients.oneKeyAccount(EXTERNAL_ID, 0);
        AwsProperties properties = new AwsProperties("us-east-1", 8, 1, 8, Duration.ofMinutes(1),
                Duration.ofSeconds(5), Duration.ofHours(1), Map.of());
        AccountRef account = TestSpokeClients.account(simAccount, EXTERNAL_ID, "eu-west-1");
        SpokeClients clients = null;
        try (StsClient sts = StsClient.builder().region(Region.US_EAST_1).build()) {
            clients = new SpokeClients(sts, properties, new SpokePacing(properties),
                    new AwsCallMetrics(new SimpleMeterRegistry()));
            long assumed = assumeRoles();

            SpokeRegion first = clients.connect(account, "eu-west-1");
            SpokeRegion second = clients.connect(account, "eu-west-1");
            assertThat(assumeRoles() - assumed).as("one session for both regions").isEqualTo(1);

            first.close();
            clients.closeIdleSessions(Duration.ZERO);
            assertThat(clients.openSessions()).as("the second region still uses it").isEqualTo(1);
            assertThat(second.call(SpokeAction.LIST_KEYS, () -> second.kms().listKeys()).keys()).hasSize(1);

            second.close();
            second.close(); // closing twice releases once
            clients.closeIdleSessions(Duration.ofHours(1));
            assertThat(clients.openSessions()).as("idle, but not for an hour").isEqualTo(1);
            clients.closeIdleSessions(Duration.ZERO);
            assertThat(clients.openSessions()).isZero();

            try (SpokeRegion again = clients.connect(account, "eu-west-1")) {
                assertThat(again.call(SpokeAction.LIST_KEYS, () -> again.kms().listKeys()).keys()).hasSize(1);
            }
            assertThat(assumeRoles() - assumed).as("assumed afresh after it was closed").isEqualTo(2);
        } finally {
            if (clients != null) {
                clients.destroy();
            }
        }
    }

    /** AssumeRole calls the simulator answered (the suite's tests run one at a time). */
    private static long assumeRoles() {
        return TestSpokeSim.get().counters().calls("AssumeRole");
    }
}
