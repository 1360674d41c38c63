package dev.unusd.hub.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.SpokeSim;

/** Scan tests' view of the shared simulator ({@link TestSpokeSim}): plain accounts with N keys a region. */
public final class Simulator {

    private Simulator() {
    }

    public static SpokeSim get() {
        return TestSpokeSim.get();
    }

    /** The JVM system properties that point a hub at the simulator, for hub processes the tests start. */
    public static Map<String, String> systemProperties() {
        get();
        Map<String, String> properties = new LinkedHashMap<>();
        for (String name : List.of("aws.endpointUrlSts", "aws.endpointUrlKms", "aws.endpointUrlCloudTrail",
                "aws.accessKeyId", "aws.secretAccessKey", "aws.region")) {
            properties.put(name, System.getProperty(name));
        }
        return properties;
    }

    /** A new AWS account in the simulator with {@code keysPerRegion} customer-managed keys in each region. */
    public static String newAccount(List<String> regions, int keysPerRegion) {
        String id = TestSpokeSim.newAwsAccountId();
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
