package dev.unusd.hub.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.account.AccountRef;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.organization.OrganizationApi;
import dev.unusd.hub.scan.ScanApi;
import dev.unusd.hub.tenant.TenantApi;
import dev.unusd.spokerole.SpokeRoleTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Onboards the simulated organisation as a customer would: registers it with the hub, deploys its two stacks with the
 * ExternalId the hub issued (the simulator's stand-ins for the reader role's CloudFormation stack in the management
 * account and for the service-managed StackSet that puts the spoke role in every member account), syncs it, which
 * registers and verifies the member accounts with their OU paths, and starts a scan. Safe to run again: an existing
 * demo tenant and its organisation are reused (the sync finds the accounts registered), and only a fresh API key is
 * issued.
 */
@Component
public class DemoOrganisation {

    private static final Logger log = LoggerFactory.getLogger(DemoOrganisation.class);

    private final TenantApi tenants;
    private final AccountApi accounts;
    private final OrganizationApi organizations;
    private final ScanApi scans;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DemoOrganisation(TenantApi tenants, AccountApi accounts, OrganizationApi organizations, ScanApi scans,
            JsonMapper json) {
        this.tenants = tenants;
        this.accounts = accounts;
        this.organizations = organizations;
        this.scans = scans;
        this.json = json;
    }

    /** {@code verifications}: each account as {@code name (OU path by names): status}. */
    public record Onboarded(UUID tenantId, String apiKey, List<AccountRef> accounts, List<String> verifications,
            List<OrganizationApi.SyncOutcome> syncs, UUID scanId) {
    }

    public Onboarded onboard(URI simulator, String tenantName) {
        return onboard(simulator, tenantName, managementAccountId -> true);
    }

    /**
     * Onboards the simulator's organisations whose management account {@code include} accepts (a simulator shared
     * with other work holds other organisations too).
     */
    public Onboarded onboard(URI simulator, String tenantName, Predicate<String> include) {
        JsonNode scenario = json.readTree(send(HttpRequest.newBuilder(simulator.resolve("/_sim/scenario/summary"))
                .GET()));
        List<JsonNode> chosen = new ArrayList<>();
        Set<String> members = new HashSet<>();
        Map<String, String> unitNames = new HashMap<>();
        for (JsonNode listed : scenario.get("organizations")) {
            if (include.test(listed.get("managementAccountId").asString())) {
                JsonNode organisation = json.readTree(send(HttpRequest.newBuilder(
                        simulator.resolve("/_sim/organizations/" + listed.get("id").asString())).GET()));
                chosen.add(organisation);
                organisation.get("accounts").forEach(a -> members.add(a.get("id").asString()));
                unitNames.put(organisation.get("rootId").asString(), "Root");
                organisation.get("units").forEach(u -> unitNames.put(u.get("id").asString(), u.get("name").asString()));
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalStateException("the simulator has no organisation to onboard");
        }
        // Every region of the member accounts, those an account has not enabled too: the scan shows them SKIPPED.
        Set<String> allRegions = new LinkedHashSet<>();
        for (JsonNode account : scenario.get("accounts")) {
            if (members.contains(account.get("id").asString())) {
                account.get("regions").propertyNames().forEach(allRegions::add);
                account.get("disabledRegions").forEach(r -> allRegions.add(r.asString()));
            }
        }
        UUID tenantId;
        String apiKey;
        var existing = tenants.findByName(tenantName);
        if (existing.isPresent()) {
            tenantId = existing.get();
            apiKey = tenants.issueApiKey(tenantId);
        } else {
            TenantApi.NewTenant created = tenants.create(tenantName);
            tenantId = created.id();
            apiKey = created.apiKey();
            // As an organisation that watches the same regions everywhere would set it up: its accounts take the
            // tenant's default regions, and a region one of them has not enabled does not fail it.
            if (!allRegions.isEmpty()) {
                TenantContext.runAs(tenantId, () -> tenants.changeDefaultRegions(List.copyOf(allRegions)));
            }
        }
        try (TenantContext.Scope scope = TenantContext.open(tenantId)) {
            List<OrganizationApi.SyncOutcome> syncs = new ArrayList<>();
            List<AccountRef> registered = new ArrayList<>();
            for (JsonNode organisation : chosen) {
                String management = organisation.get("managementAccountId").asString();
                OrganizationApi.OrganizationRef ref = organizations.registerOrFind(management,
                        nameOf(scenario, management));
                deployStacks(simulator, organisation, ref);
                OrganizationApi.SyncOutcome outcome = organizations.syncNow(ref.id());
                if (!outcome.errors().isEmpty()) {
                    log.warn("Demo organisation {} synced {}: {}", management, outcome.status(), outcome.errors());
                }
                if (outcome.errors().stream().anyMatch(e -> e.contains("REGISTERED_SEPARATELY"))) {
                    // Demo data from before the demo onboarded an organisation: its accounts were registered by hand.
                    log.warn("The demo database holds accounts an older demo registered by hand; to see them come"
                            + " in through the organisation, start over: rm -rf .unusd/demo-db (or drop database"
                            + " unusd_demo)");
                }
                syncs.add(outcome);
                registered.addAll(accounts.ofOrganization(ref.id()));
            }
            registered.sort(java.util.Comparator.comparing(AccountRef::name));
            List<String> verified = registered.stream()
                    .map(a -> a.name() + " (" + namePath(a.ouPath(), unitNames) + "): " + a.status()).toList();
            UUID scanId = scans.scanAllAccounts();
            log.info("Demo organisation onboarded: {} accounts, scan {} started", registered.size(), scanId);
            return new Onboarded(tenantId, apiKey, registered, verified, syncs, scanId);
        }
    }

    /**
     * What the customer's two stacks do: org-reader-role.yaml in the management account (a role trusting this hub
     * under the organisation's ExternalId, with the template's Organizations read actions), and spoke-stackset.yaml
     * targeting the root (the spoke role, same ExternalId, in every member account).
     */
    private void deployStacks(URI simulator, JsonNode organisation, OrganizationApi.OrganizationRef ref) {
        URI reader = simulator.resolve("/_sim/accounts/" + ref.managementAccountId() + "/roles/"
                + ref.readerRoleName());
        put(reader, Map.of("externalId", ref.externalId(),
                "actions", List.copyOf(SpokeRoleTemplate.orgReaderRole().allowedActions())));
        URI stackSet = simulator.resolve("/_sim/organizations/" + organisation.get("id").asString() + "/stackset");
        put(stackSet, Map.of("roleName", ref.spokeRoleName(), "externalId", ref.externalId(),
                "targets", List.of(organisation.get("rootId").asString())));
    }

    private void put(URI uri, Map<String, Object> body) {
        send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
    }

    /** o-.../r-.../ou-a/ou-b/ as Root/a's name/b's name. */
    private static String namePath(@Nullable String ouPath, Map<String, String> names) {
        if (ouPath == null) {
            return "no organisation";
        }
        List<String> path = new ArrayList<>();
        String[] segments = ouPath.split("/");
        for (int i = 1; i < segments.length; i++) {
            path.add(names.getOrDefault(segments[i], segments[i]));
        }
        return String.join("/", path);
    }

    private static String nameOf(JsonNode scenario, String managementAccountId) {
        for (JsonNode account : scenario.get("accounts")) {
            if (account.get("id").asString().equals(managementAccountId)) {
                return account.get("name").asString() + " organisation";
            }
        }
        return "Organisation of " + managementAccountId;
    }

    private String send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("simulator answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("simulator unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
