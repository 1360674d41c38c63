package dev.unusd.hub.support;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

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
    private static final AtomicLong NEXT_ACCOUNT = new AtomicLong(
            300_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L) * 100);
    private static SpokeSim instance;

    private TestSpokeSim() {
    }

    public static synchronized SpokeSim get() {
        if (instance == null) {
            SpokeSim sim = SpokeSim.start(Scenario.of(List.of()));
            String endpoint = sim.endpoint().toString();
            System.setProperty("aws.endpointUrlSts", endpoint);
            System.setProperty("aws.endpointUrlKms", endpoint);
            System.setProperty("aws.endpointUrlCloudTrail", endpoint);
            System.setProperty("aws.accessKeyId", HUB_ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", "hub-test-secret");
            System.setProperty("aws.region", "us-east-1");
            Runtime.getRuntime().addShutdownHook(new Thread(sim::stop));
            instance = sim;
        }
        return instance;
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
