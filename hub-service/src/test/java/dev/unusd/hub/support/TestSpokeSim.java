package dev.unusd.hub.support;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.ScenarioReader;
import dev.unusd.spokesim.SpokeSim;

/**
 * The one simulator of this JVM: started before the Spring context builds any AWS client, with the SDK pointed at it
 * through the standard endpoint properties (no simulator-specific code path in the hub). Tests add accounts of their
 * own while it runs, so their keys, quotas and call counters never mix.
 */
public final class TestSpokeSim {

    public static final String HUB_ACCESS_KEY = "AKIAHUBTEST000000001";
    public static final String HUB_SECRET_KEY = "hub-test-secret";
    private static final AtomicLong NEXT_ACCOUNT = new AtomicLong(
            300_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L) * 100);
    private static SpokeSim instance;

    private TestSpokeSim() {
    }

    public static synchronized SpokeSim get() {
        if (instance == null) {
            instance = SpokeSim.start(Scenario.of(List.of()));
            systemProperties().forEach(System::setProperty);
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
        }
        return instance;
    }

    /** The JVM system properties that point a hub at the simulator (also for hub processes the tests start). */
    public static Map<String, String> systemProperties() {
        String endpoint = get().endpoint().toString();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("aws.endpointUrlSts", endpoint);
        properties.put("aws.endpointUrlKms", endpoint);
        // The SDK's property is spelt with a capital T for CloudTrail.
        properties.put("aws.endpointUrlCloudTrail", endpoint);
        properties.put("aws.endpointUrlOrganizations", endpoint);
        properties.put("aws.accessKeyId", HUB_ACCESS_KEY);
        properties.put("aws.secretAccessKey", HUB_SECRET_KEY);
        properties.put("aws.region", "us-east-1");
        return properties;
    }

    /** A new AWS account in the simulator with {@code keysPerRegion} customer-managed keys in each region. */
    public static String newAccount(List<String> regions, int keysPerRegion) {
        String id = newAwsAccountId();
        Map<String, Scenario.Region> simRegions = new LinkedHashMap<>();
        for (String region : regions) {
            List<Scenario.Key> keys = IntStream.range(0, keysPerRegion).mapToObj(i -> new Scenario.Key(null, null, null,
                    null, null, null, "key " + i, null, null, null, null, null, null, null, null, 0, null)).toList();
            simRegions.put(region, new Scenario.Region(null, false, keys, null));
        }
        get().addAccount(new Scenario.Account(id, "account-" + id, List.of(), List.of(), 0, simRegions));
        return id;
    }

    /** A 12-digit AWS account id no other test of this JVM uses. */
    public static String newAwsAccountId() {
        return Long.toString(NEXT_ACCOUNT.incrementAndGet());
    }

    /**
     * Adds an account described in scenario YAML (the body of one account: regions, disabledRegions, roles, ...)
     * under a fresh account id; relative dates (-30d) count from now. Returns the account as loaded.
     */
    public static Scenario.Account addAccount(String accountYaml) {
        String id = newAwsAccountId();
        StringBuilder yaml = new StringBuilder("accounts:\n  - id: \"" + id + "\"\n");
        accountYaml.stripIndent().lines().forEach(line -> yaml.append("    ").append(line).append('\n'));
        Scenario scenario = new ScenarioReader(Instant.now()).parse(yaml.toString());
        return get().addAccount(scenario.accounts().get(0));
    }
}
