package dev.unusd.hub.scan;

import static dev.unusd.hub.scan.ScanFixture.awaitEnd;
import static dev.unusd.hub.scan.ScanFixture.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.unusd.hub.HubApplication;
import dev.unusd.hub.scan.ScanFixture.SimAccount;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.hub.support.TestDatabase;
import dev.unusd.spokesim.CounterSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

/** Two hub instances on one database and one simulator share a scan's targets, each target run exactly once. */
class ScanClusterIntegrationTest extends HubIntegrationTest {

    private static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-2", "eu-west-1");

    @Autowired
    MeterRegistry registry;

    @Test
    void twoInstancesFinishOneScanTogetherRunningEachTargetOnce() throws Exception {
        TenantHandle tenant = newTenant();
        ScanFixture.disableSchedule(tenant.api());
        List<SimAccount> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SimAccount account = register(tenant.api(), REGIONS, 2);
            TestSpokeSim.get().setLatency(account.awsAccountId(), 200);
            accounts.add(account);
        }
        try (ConfigurableApplicationContext second = startSecondInstance()) {
            double firstBefore = targetsFinished(registry);
            MeterRegistry secondRegistry = second.getBean(MeterRegistry.class);

            String scanId = tenant.api().post("/api/v1/scans", Map.of()).json().get("id").asString();
            JsonNode scan = awaitEnd(tenant.api(), scanId);

            assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(scan.get("counts").get("keys").asInt()).isEqualTo(32);
            assertThat(scan.get("progress").toString()).isEqualTo("{\"targetsDone\":16,\"targetsTotal\":16}");
            CounterSnapshot counters = TestSpokeSim.get().counters();
            for (SimAccount account : accounts) {
                for (String region : REGIONS) {
                    assertThat(counters.of(account.awsAccountId(), region, "ListKeys").calls())
                            .as("ListKeys of %s %s", account.awsAccountId(), region).isEqualTo(1);
                }
            }
            assertThat(attempts(scanId)).containsOnly(1).hasSize(16);
            double byFirst = targetsFinished(registry) - firstBefore;
            double bySecond = targetsFinished(secondRegistry);
            assertThat(byFirst + bySecond).isEqualTo(16);
            assertThat(byFirst).isPositive();
            assertThat(bySecond).isPositive();
        }
    }

    /**
     * HUB_SCAN_MAX_REGIONS_PER_ACCOUNT (4 here) holds across instances: an account of 12 regions never has more than 4
     * RUNNING, sampled from the database while two instances scan it.
     */
    @Test
    void twoInstancesNeverRunMoreRegionsOfAnAccountThanItsMaximum() throws Exception {
        TenantHandle tenant = newTenant();
        ScanFixture.disableSchedule(tenant.api());
        SimAccount account = register(tenant.api(), List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2",
                "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1",
                "ca-central-1"), 2);
        TestSpokeSim.get().setLatency(account.awsAccountId(), 100);
        try (ConfigurableApplicationContext second = startSecondInstance()) {
            String scanId = tenant.api().post("/api/v1/scans", Map.of()).json().get("id").asString();
            int most = 0;
            try (Connection c = TestDatabase.get().admin();
                    PreparedStatement running = c.prepareStatement(
                            "select status, (select count(*) from scan_targets where scan_id = s.id and status = 'RUNNING')"
                                    + " from scans s where s.id = ?::uuid")) {
                running.setString(1, scanId);
                for (boolean active = true; active; Thread.sleep(5)) {
                    try (ResultSet rs = running.executeQuery()) {
                        rs.next();
                        active = rs.getString(1).equals("QUEUED") || rs.getString(1).equals("RUNNING");
                        most = Math.max(most, rs.getInt(2));
                    }
                }
            }
            JsonNode scan = awaitEnd(tenant.api(), scanId);

            assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(scan.get("counts").get("keys").asInt()).isEqualTo(24);
            assertThat(most).as("regions of the account RUNNING at once").isBetween(1, 4);
            assertThat(attempts(scanId)).containsOnly(1).hasSize(12);
        }
    }

    private static ConfigurableApplicationContext startSecondInstance() {
        Map<String, Object> properties = new HashMap<>(TestDatabase.get().properties());
        properties.putAll(Map.of("server.port", "0", "hub.admin-token", ADMIN_TOKEN, "hub.principal", HUB_ACCOUNT,
                "hub.public-url", "https://hub.example.test", "db-scheduler.polling-interval", "250ms",
                "db-scheduler.scheduler-name", "second-instance"));
        // Arguments, not builder properties: those are defaults, which application.yml's own values override.
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(HubApplication.class).run(args);
    }

    private static double targetsFinished(MeterRegistry registry) {
        return registry.find("hub.scan.targets.finished").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    static List<Integer> attempts(String scanId) throws Exception {
        try (Connection c = TestDatabase.get().admin();
                PreparedStatement query = c.prepareStatement("select attempts from scan_targets where scan_id = ?::uuid")) {
            query.setString(1, scanId);
            List<Integer> attempts = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    attempts.add(rs.getInt(1));
                }
            }
            return attempts;
        }
    }
}
