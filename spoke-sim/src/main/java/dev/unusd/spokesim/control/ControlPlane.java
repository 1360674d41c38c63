package dev.unusd.spokesim.control;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import dev.unusd.spokesim.FaultChange;
import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.Scenario.KeyManager;
import dev.unusd.spokesim.SpokeSim;
import dev.unusd.spokesim.organisation.Organisation;
import dev.unusd.spokesim.organisation.SimAccount;
import dev.unusd.spokesim.organisation.SimKey;
import dev.unusd.spokesim.organisation.SimRegion;
import dev.unusd.spokesim.wire.Gateway;
import dev.unusd.spokesim.wire.WireJson;

/** The simulator's own JSON API under /_sim/: the fixture's methods for tests and demos that run it as a process. */
public final class ControlPlane implements HttpHandler {

    private static final String JSON = "application/json";
    /** A misspelt fault name must fail the test that sent it, not be ignored. */
    private static final tools.jackson.databind.json.JsonMapper STRICT = tools.jackson.databind.json.JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final SpokeSim sim;
    private final Organisation organisation;

    public ControlPlane(SpokeSim sim, Organisation organisation) {
        this.sim = sim;
        this.organisation = organisation;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String[] path = exchange.getRequestURI().getPath().substring("/_sim/".length()).split("/");
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            Object answer = route(method, path, body);
            if (answer == null) {
                Gateway.send(exchange, 204, JSON, new byte[0], null);
            } else {
                Gateway.send(exchange, 200, JSON, WireJson.write(answer), null);
            }
        } catch (IllegalArgumentException | IllegalStateException | tools.jackson.core.JacksonException e) {
            Gateway.send(exchange, 400, JSON, WireJson.write(Map.of("error", String.valueOf(e.getMessage()))), null);
        } catch (NoRoute e) {
            Gateway.send(exchange, 404, JSON, WireJson.write(Map.of("error", "no route " + method + " "
                    + exchange.getRequestURI().getPath())), null);
        }
    }

    private Object route(String method, String[] path, byte[] body) {
        String route = method + " " + String.join("/", path);
        if (route.equals("GET health")) {
            return Map.of("status", "UP", "accounts", sim.scenario().accounts().size(), "keys", keyCount(sim.now()));
        }
        if (route.equals("GET counters")) {
            return sim.counters();
        }
        if (route.equals("POST counters/reset")) {
            sim.resetCounters();
            return null;
        }
        if (route.equals("GET scenario/summary")) {
            return summary();
        }
        if (route.equals("GET clock")) {
            return Map.of("now", sim.now().toString());
        }
        if (route.equals("POST clock")) {
            sim.advanceClock(STRICT.readValue(body, ClockChange.class).duration());
            return Map.of("now", sim.now().toString());
        }
        if (route.equals("POST faults")) {
            sim.apply(STRICT.readValue(body, FaultChange.class));
            return null;
        }
        if (route.equals("POST sessions/expire")) {
            sim.expireSessions();
            return null;
        }
        if (route.equals("POST keys/use")) {
            Map<String, Object> use = WireJson.read(body);
            sim.useKey(WireJson.string(use, "accountId"), WireJson.string(use, "region"), WireJson.string(use, "keyId"),
                    use.getOrDefault("operation", "Encrypt").toString(), WireJson.string(use, "errorCode"));
            return null;
        }
        if (path.length >= 1 && path[0].equals("organizations")) {
            return organizations(method, path, body);
        }
        if (path.length == 4 && path[0].equals("accounts") && path[2].equals("roles")) {
            if (method.equals("PUT")) {
                Map<String, Object> role = WireJson.read(body);
                String externalId = WireJson.string(role, "externalId");
                if (externalId == null) {
                    throw new IllegalArgumentException("externalId is required");
                }
                sim.deployRole(path[1], path[3], externalId);
                if (role.get("actions") instanceof List<?> actions) {
                    Set<String> granted = new HashSet<>();
                    actions.forEach(a -> granted.add(a.toString()));
                    sim.setRoleActions(path[1], path[3], granted);
                }
                return null;
            }
            if (method.equals("DELETE")) {
                sim.deleteRole(path[1], path[3]);
                return null;
            }
        }
        throw new NoRoute();
    }

    /**
     * AWS Organizations as its administrators change it: {@code POST organizations {managementAccountId}},
     * {@code GET organizations/{id}}, {@code POST organizations/{id}/units {parentId, name}},
     * {@code PUT organizations/{id}/accounts/{accountId} {parentId, tags?}} (join or move),
     * {@code PUT organizations/{id}/accounts/{accountId}/state {state}},
     * {@code PUT organizations/{id}/accounts/{accountId}/name {name}},
     * {@code DELETE organizations/{id}/accounts/{accountId}} (leave),
     * {@code PUT organizations/{id}/stackset {roleName?, externalId, targets}}.
     */
    private Object organizations(String method, String[] path, byte[] body) {
        Map<String, Object> request = body.length == 0 ? Map.of() : WireJson.read(body);
        if (path.length == 1 && method.equals("POST")) {
            String id = sim.createOrganization(requiredString(request, "managementAccountId"));
            return Map.of("id", id, "rootId", sim.organization(id).rootId());
        }
        if (path.length < 2) {
            throw new NoRoute();
        }
        String organizationId = path[1];
        if (path.length == 2 && method.equals("GET")) {
            var organization = sim.organization(organizationId);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", organization.id());
            answer.put("rootId", organization.rootId());
            answer.put("managementAccountId", organization.managementAccountId());
            answer.put("units", organization.units().stream().map(u -> Map.of("id", u.id(), "name", u.name(),
                    "parentId", u.parentId())).toList());
            answer.put("accounts", organization.members().stream().map(m -> Map.of("id", m.accountId(), "name",
                    m.name(), "state", m.state().name(), "parentId", m.parentId(), "tags", m.tags())).toList());
            return answer;
        }
        if (path.length == 3 && path[2].equals("units") && method.equals("POST")) {
            return Map.of("id", sim.createOrganizationalUnit(organizationId, requiredString(request, "parentId"),
                    requiredString(request, "name")));
        }
        if (path.length == 3 && path[2].equals("stackset") && method.equals("PUT")) {
            Set<String> targets = new HashSet<>();
            if (request.get("targets") instanceof List<?> list) {
                list.forEach(t -> targets.add(t.toString()));
            }
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("targets (root or OU ids) are required");
            }
            String roleName = WireJson.string(request, "roleName");
            sim.deployStackSet(organizationId, roleName == null ? dev.unusd.spokerole.SpokeRoleTemplate.DEFAULT_ROLE_NAME
                    : roleName, requiredString(request, "externalId"), targets);
            return null;
        }
        if (path.length >= 4 && path[2].equals("accounts")) {
            String accountId = path[3];
            if (path.length == 4 && method.equals("PUT")) {
                Map<String, String> tags = new LinkedHashMap<>();
                if (request.get("tags") instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> tags.put(k.toString(), v.toString()));
                }
                sim.joinOrganization(organizationId, accountId, requiredString(request, "parentId"), tags);
                return null;
            }
            if (path.length == 4 && method.equals("DELETE")) {
                sim.leaveOrganization(organizationId, accountId);
                return null;
            }
            if (path.length == 5 && path[4].equals("state") && method.equals("PUT")) {
                sim.setAccountState(organizationId, accountId, dev.unusd.spokesim.organizations.AwsOrganization.State
                        .valueOf(requiredString(request, "state")));
                return null;
            }
            if (path.length == 5 && path[4].equals("name") && method.equals("PUT")) {
                sim.renameAccount(organizationId, accountId, requiredString(request, "name"));
                return null;
            }
        }
        throw new NoRoute();
    }

    private static String requiredString(Map<String, Object> request, String name) {
        String value = WireJson.string(request, name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /** The scenario's accounts as they are now: keys created or deleted since loading count, states are live. */
    private Map<String, Object> summary() {
        Scenario scenario = sim.scenario();
        Instant now = sim.now();
        List<Map<String, Object>> accounts = new ArrayList<>();
        for (Scenario.Account account : scenario.accounts()) {
            SimAccount live = organisation.account(account.id());
            Set<String> names = new TreeSet<>(account.regions().keySet());
            live.regions().stream().filter(r -> !r.keys().isEmpty()).forEach(r -> names.add(r.name()));
            Map<String, Object> regions = new TreeMap<>();
            for (String name : names) {
                SimRegion region = live.region(name);
                region.completeDeletions(now);
                List<SimKey> keys = region.keys();
                Map<String, Long> byState = new TreeMap<>();
                keys.forEach(k -> byState.merge(k.state().name(), 1L, Long::sum));
                regions.put(name, Map.of(
                        "keys", keys.size(),
                        "customerManaged", keys.stream().filter(k -> k.definition().manager() == KeyManager.CUSTOMER)
                                .count(),
                        "byState", byState,
                        "trackingStartDate", region.trackingStartDate().toString(),
                        "enabled", live.regionEnabled(name)));
            }
            List<Map<String, Object>> roles = new ArrayList<>();
            live.roles().forEach(r -> roles.add(Map.of("name", r.name(), "deployed", r.externalId().isPresent(),
                    "actions", new TreeSet<>(r.actions()))));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", account.id());
            entry.put("name", account.name());
            entry.put("roles", roles);
            entry.put("disabledRegions", List.copyOf(live.disabledRegions()));
            entry.put("regions", regions);
            accounts.add(entry);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("hubAccountId", scenario.hubAccountId());
        summary.put("accounts", accounts);
        // What a customer knows of its organisations before onboarding them: where the reader role and StackSet go.
        summary.put("organizations", sim.organizations().stream().map(o -> Map.of("id", o.id(), "rootId",
                o.rootId(), "managementAccountId", o.managementAccountId())).toList());
        summary.put("keys", keyCount(now));
        summary.put("quotas", sim.quotas());
        return summary;
    }

    private int keyCount(Instant now) {
        int keys = 0;
        for (SimAccount account : organisation.accounts()) {
            for (SimRegion region : account.regions()) {
                region.completeDeletions(now);
                keys += region.keys().size();
            }
        }
        return keys;
    }

    /** {@code {"advance": "PT36H"}}: how far to move the simulated time, as an ISO-8601 duration. */
    private record ClockChange(String advance) {
        Duration duration() {
            if (advance == null) {
                throw new IllegalArgumentException("advance is required, e.g. {\"advance\": \"PT36H\"}");
            }
            try {
                return Duration.parse(advance);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("advance is not an ISO-8601 duration such as PT36H or P3D: " + advance);
            }
        }
    }

    private static final class NoRoute extends RuntimeException {
        NoRoute() {
            super(null, null, false, false);
        }
    }
}
