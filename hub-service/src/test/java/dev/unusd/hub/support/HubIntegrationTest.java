package dev.unusd.hub.support;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of every test that needs the whole hub: one Spring context for the whole suite (the properties here are the
 * only ones, so the context cache shares it), on a random port, against real Postgres. Tests isolate themselves by
 * creating their own tenants.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.admin-token=" + HubIntegrationTest.ADMIN_TOKEN,
        "hub.principal=" + HubIntegrationTest.HUB_ACCOUNT,
        "hub.public-url=https://hub.example.test",
        "hub.cors-origins=https://dashboard.example.test",
        // The whole suite's log, which the secrets test searches for anything that must never be logged.
        "logging.file.name=" + HubIntegrationTest.LOG_FILE,
        // Targets start within a fraction of a second; dead executions are a child-process test's business.
        "db-scheduler.polling-interval=250ms",
        // Eight targets in flight per instance, not the production 1,000: with more than that queued, a second instance
        // (ScanClusterIntegrationTest) must find work left, as in a cluster at organisation scale.
        "db-scheduler.threads=8",
        // Schedules that fire every 2 s let tests watch them fire; every second is still too often.
        "hub.schedule.min-interval=2s",
        // At the end of the run the suite's database is dropped by a shutdown hook running beside Spring's: a target
        // still running then waits for connections that cannot come, and must not hold the JVM's exit for long.
        "db-scheduler.shutdown-max-wait=1s",
        // Small pages, so every scan in the suite exercises the pagination of every list call.
        "hub.kms.page-sizes.list-keys=4",
        "hub.kms.page-sizes.list-aliases=3",
        "hub.kms.page-sizes.list-resource-tags=2",
        "hub.kms.page-sizes.list-key-rotations=2",
        // GetKeyLastUsage answers every key it can, so tests know which source answered each one; the CloudTrail
        // assist, which depends on the moment each permit falls due, has CloudTrailAssistIntegrationTest.
        "hub.kms.cloudtrail-assist=false",
        // Tests inject 5xx bursts at rates far above AWS's: more attempts keep their outcome certain.
        "hub.aws.max-attempts=5",
        // A simulated account slower than this per attempt fails its target in seconds, not minutes.
        "hub.aws.api-call-attempt-timeout=PT5S",
        // Tests fire requests faster than any dashboard; RateLimitIntegrationTest lowers the limit at run time.
        "hub.api.rate-per-second=10000",
        "hub.api.rate-burst=10000",
        // Notification channels: a key to encrypt targets with, receivers on the loopback, retries in milliseconds.
        "hub.notify.secrets-key=" + HubIntegrationTest.SECRETS_KEY,
        "hub.notify.allow-private-targets=true",
        "hub.notify.retry-initial-delay=200ms",
        "hub.notify.retry-max-delay=2s",
        // Weekly reports due are looked for every second, so a test sees one go out at the time it set.
        "hub.notify.weekly-report-check-interval=1s",
        "hub.notify.smtp.host=127.0.0.1",
        "hub.notify.smtp.start-tls=false",
        "hub.notify.smtp.from=unusd@hub.example.test",
        // The test SMTP server logs every recipient it creates a mailbox for; the log is the hub's to keep clean.
        "logging.level.com.icegreen.greenmail=WARN",
        // Organisation syncs at test speed: the simulator's Organizations quotas are raised to match where a test
        // reads a large organisation; back-off from TooManyRequestsException starts at 50 ms.
        "hub.organizations.calls-per-second=200",
        "hub.organizations.backoff=PT0.05S",
        "hub.organizations.max-backoff=PT0.5S",
})
public abstract class HubIntegrationTest {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
    public static final String HUB_ACCOUNT = "111111111111";
    public static final String LOG_FILE = "target/hub-integration-tests.log";
    /** Base64 of 32 bytes: HUB_SECRETS_KEY of the suite's hub. */
    public static final String SECRETS_KEY = "dW51c2QtdGVzdC1zZWNyZXRzLWtleS0zMi1ieXRlcyE=";

    static {
        // Before any Spring context: the SDK reads its endpoints when clients are built.
        TestSpokeSim.get();
    }

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.get().properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("hub.notify.smtp.port", TestSmtp::port);
    }

    protected ApiClient admin() {
        return new ApiClient("http://127.0.0.1:" + port, ADMIN_TOKEN);
    }

    protected ApiClient anonymous() {
        return new ApiClient("http://127.0.0.1:" + port, null);
    }

    /** A new tenant, and a client holding its first API key. */
    protected TenantHandle newTenant() {
        ApiClient.Response created = admin().post("/api/v1/tenants", Map.of("name", "tenant " + UUID.randomUUID()));
        if (created.status() != 201) {
            throw new IllegalStateException("could not create tenant: " + created);
        }
        UUID id = UUID.fromString(created.json().get("id").asString());
        String key = created.json().get("apiKey").asString();
        return new TenantHandle(id, key, new ApiClient("http://127.0.0.1:" + port, key));
    }

    /** A token shaped like an API key that no tenant holds; random, so any copy of it came from the test. */
    protected static String keyOfNoTenant() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return "unusd_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    public record TenantHandle(UUID id, String apiKey, ApiClient api) {
    }
}
