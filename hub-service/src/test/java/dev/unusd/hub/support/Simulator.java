package dev.unusd.hub.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.SpokeSim;

/**
 * The spoke simulator every integration test of this JVM shares, started before the hub's context so the SDK's
 * standard endpoint settings point the hub's clients at it. Tests add accounts of their own, so counters and faults
 * never leak between tests.
 */
public final class Simulator {

    public static final String ACCESS_KEY_ID = "AKIAHUBTEST000000001";
    public static final String SECRET_ACCESS_KEY = "hub-test-secret";

    private static SpokeSim sim;
    // Random base: a restarted JVM's accounts never collide with a still-running simulator's in a child process.
    private static final AtomicLong NEXT_ACCOUNT = new AtomicLong(
            300_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000L) * 1000);

    private Simulator() {
    }

    public static synchronized SpokeSim get() {
        if (sim == null) {
            sim = SpokeSim.start(Scenario.of(List.of()));
            systemProperties().forEach(System::setProperty);
        }
        return sim;
    }

    /** The JVM system properties that point a hub at the simulator (also for hub processes the tests start). */
    public static Map<String, String> systemProperties() {
        String endpoint = get().endpoint().toString();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("aws.endpointUrlSts", endpoint);
        properties.put("aws.endpointUrlKms", endpoint);
        properties.put("aws.endpointUrlCloudtrail", endpoint);
        properties.put("aws.accessKeyId", ACCESS_KEY_ID);
        properties.put("aws.secretAccessKey", SECRET_ACCESS_KEY);
        properties.put("aws.region", "us-east-1");
        return properties;
    }

    /** A new AWS account in the simulator with {@code keysPerRegion} customer-managed keys in each region. */
    public static String newAccount(List<String> regions, int keysPerRegion) {
        String id = String.valueOf(NEXT_ACCOUNT.incrementAndGet());
        Map<String, Scenario.Region> simRegions = new LinkedHashMap<>();
        for (String region : regions) {
            List<Scenario.Key> keys = IntStream.range(0, keysPerRegion).mapToObj(i -> new Scenario.Key(null, null, null,
                    null, null, null, "key " + i, null, null, null, null, null, null, null, null, 0, null)).toList();
            simRegions.put(region, new Scenario.Region(null, false, keys, null));
        }
        get().addAccount(new Scenario.Account(id, "account-" + id, List.of(), List.of(), 0, simRegions));
        return id;
    }
}
