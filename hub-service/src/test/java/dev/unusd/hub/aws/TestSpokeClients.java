package dev.unusd.hub.aws;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.sts.StsClient;

/** Spoke clients for tests that replay many histories: real SDK and pacing, at quotas far above AWS's defaults. */
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
}
