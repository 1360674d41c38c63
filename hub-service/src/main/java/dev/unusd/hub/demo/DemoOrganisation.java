package dev.unusd.hub.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.account.AccountRef;
import dev.unusd.hub.aws.SpokeVerification;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.scan.ScanApi;
import dev.unusd.hub.tenant.TenantApi;
import dev.unusd.spokerole.SpokeRoleTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Onboards the simulated organisation as a customer would: registers each account, deploys its spoke role with the
 * ExternalId the hub issued (the simulator's stand-in for the CloudFormation stack), verifies it, and starts a scan.
 * Safe to run again: an existing demo tenant and its accounts are reused, and only a fresh API key is issued.
 */
@Component
public class DemoOrganisation {

    private static final Logger log = LoggerFactory.getLogger(DemoOrganisation.class);

    private final TenantApi tenants;
    private final AccountApi accounts;
    private final SpokeVerification verification;
    private final ScanApi scans;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DemoOrganisation(TenantApi tenants, AccountApi accounts, SpokeVerification verification, ScanApi scans, JsonMapper json) {
        this.tenants = tenants;
        this.accounts = accounts;
        this.verification = verification;
        this.scans = scans;
        this.json = json;
    }

    public record Onboarded(UUID tenantId, String apiKey, List<AccountRef> accounts, List<String> verifications, UUID scanId) {
    }

    public Onboarded onboard(URI simulator, String tenantName) {
        return onboard(simulator, tenantName, awsAccountId -> true);
    }

    /** Onboards the simulator's accounts that {@code include} accepts (a simulator shared with other work). */
    public Onboarded onboard(URI simulator, String tenantName, Predicate<String> include) {
        JsonNode organisation = json.readTree(send(HttpRequest.newBuilder(simulator.resolve("/_sim/scenario/summary")).GET()));
        // A region an account has not enabled is registered too: the scan shows it SKIPPED, as it would be.
        Map<String, List<String>> regionsByAccount = new LinkedHashMap<>();
        Set<String> allRegions = new LinkedHashSet<>();
        for (JsonNode account : organisation.get("accounts")) {
            if (include.test(account.get("id").asString())) {
                List<String> regions = new ArrayList<>();
                account.get("regions").propertyNames().forEach(regions::add);
                account.get("disabledRegions").forEach(r -> {
                    if (!regions.contains(r.asString())) {
                        regions.add(r.asString());
                    }
                });
                regionsByAccount.put(account.get("id").asString(), regions);
                allRegions.addAll(regions);
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
            // As an organisation that watches the same regions everywhere would set it up: accounts that have those
            // regions take the tenant's defaults, so a region one of them has not enabled does not fail it.
            if (!allRegions.isEmpty()) {
                TenantContext.runAs(tenantId, () -> tenants.changeDefaultRegions(List.copyOf(allRegions)));
            }
        }
        try (TenantContext.Scope scope = TenantContext.open(tenantId)) {
            Set<String> defaults = Set.copyOf(tenants.settingsOf(tenantId).defaultRegions());
            List<AccountRef> registered = new ArrayList<>();
            List<String> verified = new ArrayList<>();
            for (JsonNode account : organisation.get("accounts")) {
                String awsAccountId = account.get("id").asString();
                List<String> regions = regionsByAccount.get(awsAccountId);
                if (regions == null) {
                    continue;
                }
                AccountRef ref = accounts.findByAwsAccountId(awsAccountId).orElseGet(() -> accounts.register(
                        awsAccountId, account.get("name").asString(),
                        defaults.equals(Set.copyOf(regions)) ? null : regions));
                deployRole(simulator, ref);
                SpokeVerification.Result result = verification.verify(ref.id());
                verified.add(ref.name() + ": " + result.status());
                registered.add(ref);
            }
            UUID scanId = scans.scanAllAccounts();
            log.info("Demo organisation onboarded: {} accounts, scan {} started", registered.size(), scanId);
            return new Onboarded(tenantId, apiKey, registered, verified, scanId);
        }
    }

    /** What the customer's CloudFormation stack does: a role trusting this hub under the issued ExternalId. */
    private void deployRole(URI simulator, AccountRef account) {
        URI role = simulator.resolve("/_sim/accounts/" + account.awsAccountId() + "/roles/" + account.roleName());
        String body = json.writeValueAsString(Map.of("externalId", account.externalId()));
        send(HttpRequest.newBuilder(role).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        if (!account.roleName().equals(SpokeRoleTemplate.DEFAULT_ROLE_NAME)) {
            log.warn("Demo account {} uses role {}, not the template's default", account.awsAccountId(), account.roleName());
        }
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
