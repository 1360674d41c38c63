package dev.unusd.hub.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;
import dev.unusd.hub.support.TestSpokeSim;
import tools.jackson.databind.JsonNode;

/**
 * Tenant B probes every tenant-scoped endpoint of the route table with tenant A's ids: each must answer 404, and no
 * list may show any of A's identifiers. The probes come from the hub's own route table, so a new endpoint without
 * a probe fails this test instead of going unchecked.
 */
class TenantIsolationIntegrationTest extends HubIntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping routes;

    @Test
    void noTenantSeesOrTouchesAnotherTenantsData() throws Exception {
        TenantHandle a = newTenant();
        TenantHandle b = newTenant();
        Map<String, String> aIds = populate(a);
        String aSnapshot = snapshot(a.api());

        List<String> leaks = new ArrayList<>();
        int probes = 0;
        Set<String> unprobed = new TreeSet<>();
        for (Route route : tenantRoutes()) {
            if (route.path().contains("{")) {
                String id = idFor(route.path(), aIds);
                if (id == null) {
                    unprobed.add(route.toString());
                    continue;
                }
                String path = route.path().replaceAll("\\{[^}]+}", id);
                ApiClient.Response r = b.api().send(route.method(), path, bodyFor(route), Map.of());
                probes++;
                if (r.status() != 404) {
                    leaks.add(route + " with A's id answered " + r.status() + " " + HostileInputIntegrationTest.abbreviate(r.text()));
                }
            } else if (route.method().equals("GET")) {
                for (String query : List.of("", "?accountId=" + aIds.get("account"), "?limit=500")) {
                    ApiClient.Response r = b.api().get(route.path() + query);
                    probes++;
                    leaks.addAll(leaked(route + query, r.text(), aIds));
                    if (r.status() >= 500) {
                        leaks.add(route + query + " answered " + r.status());
                    }
                }
                if (route.path().equals("/api/v1/findings")) {
                    ApiClient.Response csv = b.api().get(route.path(), Map.of("Accept", "text/csv"));
                    probes++;
                    leaks.addAll(leaked(route + " (CSV)", csv.text(), aIds));
                }
            } else {
                // Writes without an id act on B's own data; those that name A's resources must not find them.
                ApiClient.Response r = b.api().send(route.method(), route.path(), writeBodyFor(route, aIds), Map.of());
                probes++;
                boolean namesAs = route.path().equals("/api/v1/scans") || route.path().equals("/api/v1/suppressions");
                if (r.status() >= 500 || (namesAs && r.status() != 404)) {
                    leaks.add(route + " naming A's account answered " + r.status());
                }
                leaks.addAll(leaked(route.toString(), r.text(), aIds));
            }
        }

        // A revoked key opens nothing; a tenant key opens no admin endpoint.
        JsonNode doomed = a.api().post("/api/v1/api-keys", null).json();
        ApiClient revoked = a.api().as(doomed.get("apiKey").asString());
        assertThat(a.api().delete("/api/v1/api-keys/" + doomed.get("id").asString()).status()).isEqualTo(204);
        for (Route route : tenantRoutes()) {
            String path = route.path().replaceAll("\\{[^}]+}", aIds.getOrDefault("account", "x"));
            ApiClient.Response r = revoked.send(route.method(), path, bodyFor(route), Map.of());
            probes++;
            if (r.status() != 401) {
                leaks.add(route + " with a revoked key answered " + r.status());
            }
        }
        for (String method : List.of("GET", "POST")) {
            ApiClient.Response r = a.api().send(method, "/api/v1/tenants", method.equals("POST") ? Map.of("name", "x") : null, Map.of());
            probes++;
            if (r.status() != 403) {
                leaks.add(method + " /api/v1/tenants with a tenant key answered " + r.status());
            }
        }
        // Below every endpoint: without a tenant in the transaction, every tenant table is empty.
        try (Connection app = TestDatabase.get().app(); Statement s = app.createStatement()) {
            for (String table : TestDatabase.get().tenantTables()) {
                try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    probes++;
                    if (rs.getLong(1) != 0) {
                        leaks.add(table + " shows " + rs.getLong(1) + " rows without tenant context");
                    }
                }
            }
        }
        System.out.printf("isolation: %d probes, %d leaks%n", probes, leaks.size());

        assertThat(unprobed).as("tenant routes without an isolation probe").isEmpty();
        assertThat(leaks).isEmpty();
        assertThat(snapshot(a.api())).isEqualTo(aSnapshot);
        assertThat(probes).isGreaterThan(30);
    }

    record Route(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Every route under /api/ that a tenant key opens (admin and public ones excluded), from the route table. */
    private List<Route> tenantRoutes() {
        List<Route> list = new ArrayList<>();
        for (RequestMappingInfo info : routes.getHandlerMethods().keySet()) {
            Set<String> patterns = info.getPathPatternsCondition() == null ? info.getPatternValues()
                    : info.getPathPatternsCondition().getPatternValues();
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : patterns) {
                if (!pattern.startsWith("/api/") || pattern.startsWith("/api/v1/tenants")
                        || pattern.startsWith("/api/v1/onboarding/")) {
                    continue;
                }
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    list.add(new Route(method.name(), pattern));
                }
            }
        }
        list.sort((x, y) -> x.toString().compareTo(y.toString()));
        return list;
    }

    /** The id of A's resource that a path with a variable names, by the collection it belongs to. */
    private static String idFor(String path, Map<String, String> aIds) {
        Map<String, String> collections = Map.of(
                "/api/v1/accounts/", "account", "/api/v1/api-keys/", "apiKey", "/api/v1/scans/", "scan",
                "/api/v1/keys/", "key", "/api/v1/findings/", "finding",
                "/api/v1/notification-channels/", "channel", "/api/v1/organizations/", "organization",
                "/api/v1/suppressions/", "suppression");
        for (Map.Entry<String, String> c : collections.entrySet()) {
            if (path.startsWith(c.getKey())) {
                return aIds.get(c.getValue());
            }
        }
        return null;
    }

    private static Object bodyFor(Route route) {
        return route.method().equals("PATCH") || route.method().equals("PUT") ? Map.of("name", "stolen") : null;
    }

    private static Object writeBodyFor(Route route, Map<String, String> aIds) {
        return switch (route.path()) {
            case "/api/v1/scans" -> Map.of("accountIds", List.of(aIds.get("account")));
            case "/api/v1/accounts" -> Map.of("awsAccountId", "999999999999", "name", "b's own");
            case "/api/v1/notification-channels" -> Map.of("type", "WEBHOOK", "name", "b's own",
                    "target", "http://127.0.0.1:9/b");
            case "/api/v1/organizations" -> Map.of("managementAccountId", "999999999998", "name", "b's own");
            case "/api/v1/suppressions" -> Map.of("scope", "FINDING", "findingId", aIds.get("finding"),
                    "reason", "b", "author", "b");
            case "/api/v1/settings" -> Map.of(
                    "exceptionTag", Map.of("key", "b", "value", "b"), "unusedDays", 1, "maxRotationPeriodDays", 90,
                    "defaultRegions", List.of("eu-west-1"),
                    "schedule", Map.of("cron", "0 0 1 * * *", "timezone", "UTC", "enabled", false));
            default -> null;
        };
    }

    private static List<String> leaked(String probe, String text, Map<String, String> aIds) {
        List<String> found = new ArrayList<>();
        aIds.forEach((what, value) -> {
            if (text.contains(value)) {
                found.add(probe + " shows A's " + what + " " + value);
            }
        });
        return found;
    }

    /**
     * Gives A an account with keys, a finished scan, findings, a suppression, a second API key and an organisation
     * with a sync; returns A's identifiers.
     */
    private Map<String, String> populate(TenantHandle a) throws InterruptedException {
        String awsAccountId = TestSpokeSim.newAccount(List.of("us-east-1"), 3);
        JsonNode account = a.api().post("/api/v1/accounts",
                Map.of("awsAccountId", awsAccountId, "name", "isolated", "regions", List.of("us-east-1"))).json();
        TestSpokeSim.get().deployRole(awsAccountId, "UnusdSpokeRole", account.get("externalId").asString());
        String scanId = a.api().post("/api/v1/scans", Map.of()).json().get("id").asString();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Set.of("QUEUED", "RUNNING").contains(a.api().get("/api/v1/scans/" + scanId).json().get("status").asString())) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("scan did not finish");
            }
            Thread.sleep(200);
        }
        JsonNode key = a.api().get("/api/v1/keys").json().get("items").get(0);
        JsonNode finding = a.api().get("/api/v1/findings").json().get("items").get(0);
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("tenant", a.id().toString());
        ids.put("account", account.get("id").asString());
        ids.put("awsAccountId", awsAccountId);
        ids.put("externalId", account.get("externalId").asString());
        ids.put("apiKey", a.api().post("/api/v1/api-keys", null).json().get("id").asString());
        ids.put("scan", scanId);
        ids.put("key", key.get("id").asString());
        ids.put("keyArn", key.get("arn").asString());
        ids.put("finding", finding.get("id").asString());
        ids.put("channel", a.api().post("/api/v1/notification-channels", Map.of("type", "WEBHOOK", "name", "a's",
                "target", "http://127.0.0.1:9/a", "accounts", List.of(account.get("id").asString()))).json()
                .get("id").asString());
        JsonNode organization = a.api().post("/api/v1/organizations",
                Map.of("managementAccountId", awsAccountId, "name", "isolated org")).json();
        ids.put("organization", organization.get("id").asString());
        ids.put("organizationExternalId", organization.get("externalId").asString());
        ids.put("sync", a.api().post("/api/v1/organizations/" + organization.get("id").asString() + "/sync", Map.of())
                .json().get("id").asString());
        ids.put("suppression", a.api().post("/api/v1/suppressions", Map.of("scope", "KEY",
                "keyRef", key.get("id").asString(), "reason", "isolated", "author", "a")).json().get("id").asString());
        return ids;
    }

    private static String snapshot(ApiClient api) {
        return api.get("/api/v1/accounts").json().get("items").toString() + api.get("/api/v1/settings").text()
                + api.get("/api/v1/keys?limit=500").json().get("items").size()
                + api.get("/api/v1/findings?limit=500").json().get("items").size()
                + api.get("/api/v1/organizations").json().get("items").toString();
    }

}
