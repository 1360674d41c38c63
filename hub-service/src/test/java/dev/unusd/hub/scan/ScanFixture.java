package dev.unusd.hub.scan;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.TestSpokeSim;
import tools.jackson.databind.JsonNode;

/** Simulated AWS accounts registered with a tenant, and waiting for scans. */
public final class ScanFixture {

    static final String ROLE = "UnusdSpokeRole";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ScanFixture() {
    }

    /** An AWS account in the simulator with its spoke role deployed, registered with the tenant. */
    public record SimAccount(String id, String awsAccountId, String externalId) {
    }

    public static SimAccount register(ApiClient api, List<String> regions, int keysPerRegion) {
        return register(api, regions, keysPerRegion, true);
    }

    static SimAccount register(ApiClient api, List<String> regions, int keysPerRegion, boolean deployRole) {
        String awsAccountId = TestSpokeSim.newAccount(regions, keysPerRegion);
        ApiClient.Response created = api.post("/api/v1/accounts",
                Map.of("awsAccountId", awsAccountId, "name", "acct-" + awsAccountId, "regions", regions));
        if (created.status() != 201) {
            throw new IllegalStateException("could not register account: " + created);
        }
        String externalId = created.json().get("externalId").asString();
        if (deployRole) {
            TestSpokeSim.get().deployRole(awsAccountId, ROLE, externalId);
        }
        return new SimAccount(created.json().get("id").asString(), awsAccountId, externalId);
    }

    /** Turns the tenant's schedule off, so only the test's own scans run. */
    public static void disableSchedule(ApiClient api) {
        setSchedule(api, "0 0 6 * * *", "UTC", false);
    }

    static void setSchedule(ApiClient api, String cron, String timezone, boolean enabled) {
        JsonNode settings = api.get("/api/v1/settings").json();
        Map<String, Object> body = Map.of(
                "exceptionTag", Map.of("key", settings.get("exceptionTag").get("key").asString(),
                        "value", settings.get("exceptionTag").get("value").asString()),
                "unusedDays", settings.get("unusedDays").asInt(),
                "maxRotationPeriodDays", settings.get("maxRotationPeriodDays").asInt(),
                "defaultRegions", List.of("us-east-1"),
                "schedule", Map.of("cron", cron, "timezone", timezone, "enabled", enabled));
        ApiClient.Response put = api.put("/api/v1/settings", body);
        if (put.status() != 200) {
            throw new IllegalStateException("could not change settings: " + put);
        }
    }

    public static JsonNode awaitEnd(ApiClient api, String scanId) {
        return await(api, "/api/v1/scans/" + scanId,
                scan -> !List.of("QUEUED", "RUNNING").contains(scan.get("status").asString()));
    }

    static JsonNode await(ApiClient api, String path, Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            ApiClient.Response response = api.get(path);
            last = response.json();
            if (response.status() == 200 && done.test(last)) {
                return last;
            }
            sleep(200);
        }
        throw new AssertionError("timed out waiting on " + path + "; last answer: " + last);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
