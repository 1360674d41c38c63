package dev.unusd.hub.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.unusd.hub.account.AccountRef;
import dev.unusd.hub.account.AccountStatus;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.Scenario;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Spoke clients for tests that replay many histories: real SDK and pacing, at quotas far above AWS's defaults; and
 * accounts of the simulator to connect them to.
 */
public final class TestSpokeClients {

    private TestSpokeClients() {
    }

    /**
     * Every operation at {@code perSecond} but those in {@code rates}; throttling gives up after
     * {@code throttledAttempts}.
     */
    public static SpokeClients at(double perSecond, Map<String, Double> rates, int throttledAttempts, StsClient sts,
            MeterRegistry registry) {
        Map<String, Double> quotas = new HashMap<>();
        for (SpokeAction action : SpokeAction.values()) {
            quotas.put(action.operation(), perSecond);
        }
        quotas.putAll(rates);
        AwsProperties properties = new AwsProperties("us-east-1", 64, 2, throttledAttempts, Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofHours(1), quotas);
        return new SpokeClients(sts, properties, new SpokePacing(properties), new AwsCallMetrics(registry));
    }

    /** A registered account of the simulator's, scanned in {@code region} through the spoke role with this ExternalId. */
    public static AccountRef account(Scenario.Account simAccount, String externalId, String region) {
        return new AccountRef(UUID.randomUUID(), UUID.randomUUID(), simAccount.id(), "sim " + simAccount.id(),
                List.of(region), false, "UnusdSpokeRole", externalId, true, AccountStatus.CONNECTED, Instant.now(),
                null);
    }

    /** A simulator account with one key in eu-west-1, its spoke role trusting this ExternalId, answering this slowly. */
    public static Scenario.Account oneKeyAccount(String externalId, int latencyMs) {
        return TestSpokeSim.addAccount("""
                latencyMs: %d
                roles:
                  - name: UnusdSpokeRole
                    externalId: %s
                regions:
                  eu-west-1:
                    keys:
                      - {description: one key}
                """.formatted(latencyMs, externalId));
    }
}
