package dev.unusd.hub.organization;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.Seed;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokerole.SpokeRoleTemplate;
import dev.unusd.spokesim.SpokeSim;
import dev.unusd.spokesim.organizations.AwsOrganization;
import tools.jackson.databind.JsonNode;

/**
 * An organisation onboarded through the API and synced against the simulator's AWS Organizations: the real STS
 * client assumes the reader role, the hub's signed JSON 1.1 requests read the tree, the SDK verifies and scans the
 * member accounts.
 */
class OrganizationIntegrationTest extends HubIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private final SpokeSim sim = TestSpokeSim.get();

    @Autowired
    OrganizationSchedules schedules;

    @Autowired
    SchedulerClient scheduler;

    @Autowired
    OrganizationSync sync;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    private TenantHandle tenant;
    private String management;
    private String organizationId;
    private String rootId;
    private String workloads;
    private String prod;
    private String sandbox;
    private final Map<String, String> members = new HashMap<>();

    @BeforeEach
    void organisation() {
        tenant = newTenant();
        setDefaultRegions(tenant.api());
        management = TestSpokeSim.newAccount(List.of("us-east-1"), 0);
        organizationId = sim.createOrganization(management);
        rootId = sim.organization(organizationId).rootId();
        workloads = sim.createOrganizationalUnit(organizationId, rootId, "workloads");
        prod = sim.createOrganizationalUnit(organizationId, workloads, "prod");
        sandbox = sim.createOrganizationalUnit(organizationId, rootId, "sandbox");
        for (String name : List.of("api", "billing", "search")) {
            join(name, prod);
        }
        join("tools", workloads);
        join("playground", sandbox);
    }

    @Test
    void registeringAnOrganisationIssuesOneExternalIdAndOnboardingForBothStacks() {
        ApiClient.Response created = register(Map.of("managementAccountId", management, "name", "Acme",
                "organizationalUnits", List.of(workloads), "excludeAccounts", List.of(members.get("tools"))));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode o = created.json();
        assertThat(created.header("Location")).isEqualTo("/api/v1/organizations/" + o.get("id").asString());
        assertThat(o.get("externalId").asString()).startsWith("unusd-").hasSize(46);
        assertThat(o.get("readerRoleArn").asString()).isEqualTo("arn:aws:iam::" + management + ":role/UnusdOrgReaderRole");
        assertThat(o.get("awsOrganizationId").isNull()).isTrue();
        String reader = o.get("onboarding").get("readerRole").get("cliCommand").asString();
        assertThat(reader).contains("org-reader-role.yaml", "ParameterValue=" + o.get("externalId").asString(),
                "ParameterKey=HubPrincipal,ParameterValue=" + HUB_ACCOUNT);
        String stackSet = o.get("onboarding").get("stackSet").get("cliCommand").asString();
        assertThat(stackSet).contains("spoke-stackset.yaml", "ParameterKey=OrganizationalUnitIds,ParameterValue="
                + workloads, "ParameterValue=" + o.get("externalId").asString());
        assertThat(o.get("onboarding").get("stackSet").get("note").asString()).contains("management account");

        ApiClient.Response template = anonymous().get("/api/v1/onboarding/org-reader-role.yaml");
        assertThat(template.status()).isEqualTo(200);
        assertThat(template.text()).contains("Default: \"" + HUB_ACCOUNT + "\"", "organizations:ListAccountsForParent");
        assertThat(anonymous().get("/api/v1/onboarding/spoke-stackset.yaml").text())
                .contains("PermissionModel: SERVICE_MANAGED", "Default: \"" + HUB_ACCOUNT + "\"");
    }

    @Test
    void aSyncRegistersAndVerifiesTheActiveAccountsUnderTheChosenOusWithTheirPathAndTags() {
        JsonNode organization = onboard(List.of(workloads), List.of(members.get("tools")));
        JsonNode sync = syncNow(organization);

        assertThat(sync.get("status").asString()).as(sync.toString()).isEqualTo("SUCCEEDED");
        assertThat(sync.get("accountsFound").asInt()).isEqualTo(6);
        assertThat(sync.get("inScope").asInt()).isEqualTo(3);
        assertThat(sync.get("added").asInt()).isEqualTo(3);
        assertThat(sync.get("verified").asInt()).isEqualTo(3);
        assertThat(sync.get("removed").asInt()).isZero();
        // 2 calls per parent (root, workloads, prod, sandbox), DescribeOrganization, ListRoots, 3 tag reads
        assertThat(sync.get("apiCalls").asInt()).isEqualTo(13);
        // the excluded account was never registered: nothing to deactivate, and no error either
        assertThat(sync.get("errors")).isEmpty();

        Map<String, JsonNode> accounts = accountsByAwsId();
        assertThat(accounts).containsOnlyKeys(members.get("api"), members.get("billing"), members.get("search"));
        JsonNode api = accounts.get(members.get("api"));
        String awsOrganizationId = organizationId;
        assertThat(api.get("organizationId").asString()).isEqualTo(organization.get("id").asString());
        assertThat(api.get("ouPath").asString())
                .isEqualTo(awsOrganizationId + "/" + rootId + "/" + workloads + "/" + prod + "/");
        assertThat(api.get("tags").get("team").asString()).isEqualTo("api");
        assertThat(api.get("status").asString()).isEqualTo("CONNECTED");
        assertThat(api.get("externalId").asString()).isEqualTo(organization.get("externalId").asString());
        assertThat(api.get("regions")).extracting(JsonNode::asString).containsExactly("us-east-1");
        assertThat(api.get("regionsFromDefaults").asBoolean()).isTrue();
        assertThat(tenant.api().get("/api/v1/organizations/" + organization.get("id").asString()).json()
                .get("awsOrganizationId").asString()).isEqualTo(organizationId);
    }

    /**
     * An account removed while the sync verifies it: that account's error, not the sync's. The sync's changes were
     * committed before its verifications; its record must say so, and the other accounts are verified all the same.
     */
    @Test
    void anAccountRemovedWhileTheSyncVerifiesItIsThatAccountsErrorNotTheSyncs() {
        JsonNode organization = onboard(List.of(workloads), List.of(members.get("tools")));
        sim.setLatency(members.get("api"), 400);
        try {
            ApiClient.Response requested = tenant.api().post("/api/v1/organizations/"
                    + organization.get("id").asString() + "/sync", Map.of());
            assertThat(requested.status()).as(requested.text()).isEqualTo(202);
            await("/api/v1/accounts?limit=500", page -> page.get("items").valueStream()
                    .anyMatch(a -> a.get("awsAccountId").asString().equals(members.get("api"))));
            String removed = accountsByAwsId().get(members.get("api")).get("id").asString();
            assertThat(tenant.api().delete("/api/v1/accounts/" + removed).status()).isEqualTo(204);

            JsonNode sync = await(requested.header("Location"),
                    s -> !List.of("QUEUED", "RUNNING").contains(s.get("status").asString()));
            assertThat(sync.get("status").asString()).as(sync.toString()).isEqualTo("PARTIAL");
            assertThat(sync.get("added").asInt()).isEqualTo(3);
            assertThat(sync.get("verified").asInt()).isEqualTo(2);
            assertThat(sync.get("errors")).hasSize(1);
            assertThat(sync.get("errors").get(0).get("awsAccountId").asString()).isEqualTo(members.get("api"));
            assertThat(sync.get("errors").get(0).get("code").asString()).isEqualTo("VERIFICATION_FAILED");
            assertThat(tenant.api().get("/api/v1/organizations/" + organization.get("id").asString()).json()
                    .get("awsOrganizationId").asString()).isEqualTo(organizationId);
        } finally {
            sim.setLatency(members.get("api"), 0);
        }
    }

    /**
     * The sync reads the organisation parent by parent (root, workloads, sandbox, prod). An account moved from prod,
     * not read yet, to workloads, read already, is listed under neither: it is still a member and stays enabled, not
     * deactivated as having left; the next sync places it.
     */
    @Test
    void anAccountMovedBetweenOusWhileTheSyncReadsThemIsNotTakenForGone() throws Exception {
        JsonNode organization = onboard(List.of(workloads), List.of(members.get("tools")));
        assertThat(syncNow(organization).get("status").asString()).isEqualTo("SUCCEEDED");
        long listedBefore = sim.counters().of(management, "us-east-1", "ListAccountsForParent").calls();
        sim.setLatency(management, 300);
        try {
            ApiClient.Response requested = tenant.api().post("/api/v1/organizations/"
                    + organization.get("id").asString() + "/sync", Map.of());
            assertThat(requested.status()).as(requested.text()).isEqualTo(202);
            // The root's and workloads' accounts were read (the first and second ListAccountsForParent), prod's not.
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (sim.counters().of(management, "us-east-1", "ListAccountsForParent").calls() < listedBefore + 2) {
                assertThat(System.nanoTime() - deadline).as("root's and workloads' accounts read").isNegative();
                Thread.sleep(10);
            }
            sim.moveAccount(organizationId, members.get("api"), workloads);

            JsonNode sync = await(requested.header("Location"),
                    s -> !List.of("QUEUED", "RUNNING").contains(s.get("status").asString()));
            assertThat(sync.get("removed").asInt()).as(sync.toString()).isZero();
            assertThat(sync.get("errors").toString()).contains(members.get("api"), "MOVED_DURING_SYNC");
            JsonNode api = accountsByAwsId().get(members.get("api"));
            assertThat(api.get("enabled").asBoolean()).isTrue();
            assertThat(api.get("deactivatedReason").isNull()).isTrue();
        } finally {
            sim.setLatency(management, 0);
        }
        JsonNode next = syncNow(organization);
        assertThat(next.get("status").asString()).as(next.toString()).isEqualTo("SUCCEEDED");
        assertThat(accountsByAwsId().get(members.get("api")).get("ouPath").asString())
                .isEqualTo(organizationId + "/" + rootId + "/" + workloads + "/");
    }

    @Test
    void theNextSyncPicksUpAccountsThatJoinedLeftWereSuspendedClosedOrMovedOut() {
        JsonNode organization = onboard(List.of(workloads), List.of());
        assertThat(syncNow(organization).get("added").asInt()).isEqualTo(4);
        JsonNode scan = scanAll();
        assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
        String billingId = accountsByAwsId().get(members.get("billing")).get("id").asString();
        int billingFindings = openFindings(billingId);
        assertThat(billingFindings).isPositive();

        // ou= takes an OU's accounts, its child OUs' included
        Set<String> inProd = Set.of(members.get("api"), members.get("billing"), members.get("search"));
        JsonNode prodFindings = tenant.api().get("/api/v1/findings?limit=500&ou=" + prod).json().get("items");
        assertThat(prodFindings).isNotEmpty().allSatisfy(f -> assertThat(inProd).contains(f.get("awsAccountId").asString()));
        int all = tenant.api().get("/api/v1/findings?limit=500").json().get("items").size();
        assertThat(tenant.api().get("/api/v1/findings?limit=500&ou=" + workloads).json().get("items")).hasSize(all)
                .hasSizeGreaterThan(prodFindings.size());
        assertThat(tenant.api().get("/api/v1/findings?ou=" + sandbox).json().get("items")).isEmpty();
        assertThat(tenant.api().get("/api/v1/keys?limit=500&ou=" + prod).json().get("items")).hasSize(3 * 2)
                .allSatisfy(k -> assertThat(inProd).contains(k.get("awsAccountId").asString()));
        String csv = tenant.api().get("/api/v1/findings?ou=" + prod, Map.of("Accept", "text/csv")).text();
        assertThat(csv).contains(members.get("billing")).doesNotContain(members.get("tools"));
        assertThat(tenant.api().get("/api/v1/keys?ou=prod").status()).isEqualTo(400);

        // The summary breaks the same findings down by OU, with the names the sync read, and filters by OU.
        JsonNode summary = tenant.api().get("/api/v1/summary").json();
        Map<String, JsonNode> units = new HashMap<>();
        summary.get("organizationalUnits").forEach(u -> units.put(u.get("id").asString(), u));
        assertThat(units).containsOnlyKeys(rootId, workloads, prod);
        assertThat(units.get(prod).get("namePath").asString()).isEqualTo("Root/workloads/prod");
        assertThat(units.get(prod).get("accounts").asLong()).isEqualTo(3);
        assertThat(units.get(prod).get("openFindings").asInt()).isEqualTo(prodFindings.size());
        assertThat(units.get(workloads).get("accounts").asLong()).isEqualTo(4);
        assertThat(units.get(workloads).get("openFindings").asInt()).isEqualTo(all);
        assertThat(units.get(workloads).get("keys").asLong()).isEqualTo(4 * 2);
        JsonNode prodSummary = tenant.api().get("/api/v1/summary?ou=" + prod).json();
        assertThat(prodSummary.get("findings").get("open").asInt()).isEqualTo(prodFindings.size());
        assertThat(prodSummary.get("accounts")).extracting(a -> a.get("awsAccountId").asString())
                .containsExactlyInAnyOrderElementsOf(inProd);

        join("checkout", prod);
        sim.leaveOrganization(organizationId, members.get("api"));
        sim.setAccountState(organizationId, members.get("billing"), AwsOrganization.State.SUSPENDED);
        sim.setAccountState(organizationId, members.get("search"), AwsOrganization.State.CLOSED);
        sim.moveAccount(organizationId, members.get("tools"), sandbox);

        JsonNode sync = syncNow(organization);
        assertThat(sync.get("status").asString()).as(sync.toString()).isEqualTo("SUCCEEDED");
        assertThat(sync.get("added").asInt()).isEqualTo(1);
        assertThat(sync.get("removed").asInt()).isEqualTo(4);
        assertThat(sync.get("unchanged").asInt()).isZero();
        assertThat(sync.get("verified").asInt()).isEqualTo(1);

        Map<String, JsonNode> accounts = accountsByAwsId();
        assertThat(reason(accounts, "api")).isEqualTo("LEFT_ORGANIZATION");
        assertThat(reason(accounts, "billing")).isEqualTo("SUSPENDED");
        assertThat(reason(accounts, "search")).isEqualTo("CLOSED");
        assertThat(reason(accounts, "tools")).isEqualTo("MOVED_OUT");
        assertThat(accounts.get(members.get("tools")).get("ouPath").asString()).endsWith(workloads + "/");
        assertThat(accounts.get(members.get("billing")).get("status").asString()).isEqualTo("DISABLED");
        assertThat(accounts.get(members.get("checkout")).get("status").asString()).isEqualTo("CONNECTED");
        // deactivated, not removed: the findings stay open, as they were at the last scan, marked with why and when
        assertThat(openFindings(billingId)).isEqualTo(billingFindings);
        JsonNode marked = tenant.api().get("/api/v1/findings?limit=500&accountId=" + billingId).json().get("items");
        assertThat(marked).allSatisfy(f -> {
            assertThat(f.get("accountDeactivated").get("reason").asString()).isEqualTo("SUSPENDED");
            assertThat(Instant.parse(f.get("accountDeactivated").get("at").asString()))
                    .isEqualTo(Instant.parse(accounts.get(members.get("billing")).get("deactivatedAt").asString()));
        });
        assertThat(tenant.api().get("/api/v1/findings/" + marked.get(0).get("id").asString()).json()
                .get("accountDeactivated").get("reason").asString()).isEqualTo("SUSPENDED");
        assertThat(tenant.api().get("/api/v1/findings?limit=500&accountDeactivated=true").json().get("items"))
                .hasSize(all);
        assertThat(tenant.api().get("/api/v1/findings?limit=500&accountDeactivated=false").json().get("items"))
                .isEmpty();
        String marks = tenant.api().get("/api/v1/findings?accountDeactivated=true&awsAccountId=" + members.get("api"),
                Map.of("Accept", "text/csv")).text();
        assertThat(marks.lines().findFirst().orElseThrow())
                .endsWith(",accountDeactivatedReason,accountDeactivatedAt,unverifiedReason,lastVerifiedAt");
        int apiFindings = tenant.api().get("/api/v1/findings?limit=500&awsAccountId=" + members.get("api")).json()
                .get("items").size();
        assertThat(apiFindings).isPositive();
        assertThat(marks.split(",LEFT_ORGANIZATION,", -1)).hasSize(apiFindings + 1);
        assertThat(marks.split(",ACCOUNT_DISABLED,", -1)).as("deactivated: not verified by scans either")
                .hasSize(apiFindings + 1);
        assertThat(tenant.api().get("/api/v1/findings?accountDeactivated=maybe").status()).isEqualTo(400);

        JsonNode next = scanAll();
        assertThat(next.get("targets")).extracting(t -> t.get("awsAccountId").asString())
                .containsExactly(members.get("checkout"));
        assertThat(next.get("counts").get("findingsResolved").asInt()).as("a scan resolves no finding of theirs")
                .isZero();
        assertThat(openFindings(billingId)).isEqualTo(billingFindings);
        assertThat(tenant.api().get("/api/v1/findings?limit=500&accountDeactivated=true").json().get("items"))
                .hasSize(all);
        JsonNode active = tenant.api().get("/api/v1/findings?limit=500&accountDeactivated=false").json().get("items");
        assertThat(active).isNotEmpty().allSatisfy(f -> {
            assertThat(f.get("awsAccountId").asString()).isEqualTo(members.get("checkout"));
            assertThat(f.get("accountDeactivated").isNull()).isTrue();
        });

        sim.setAccountState(organizationId, members.get("billing"), AwsOrganization.State.ACTIVE);
        JsonNode back = syncNow(organization);
        assertThat(back.get("reactivated").asInt()).isEqualTo(1);
        assertThat(back.get("unchanged").asInt()).isEqualTo(1);
        assertThat(accountsByAwsId().get(members.get("billing")).get("status").asString()).isEqualTo("CONNECTED");
        assertThat(accountsByAwsId().get(members.get("billing")).get("deactivatedAt").isNull()).isTrue();
        assertThat(tenant.api().get("/api/v1/findings?limit=500&accountId=" + billingId).json().get("items"))
                .hasSize(billingFindings).allSatisfy(f -> assertThat(f.get("accountDeactivated").isNull()).isTrue());

        JsonNode syncs = tenant.api().get("/api/v1/organizations/" + organization.get("id").asString() + "/syncs").json();
        assertThat(syncs.get("items")).hasSize(3);
        assertThat(syncs.get("items").get(0).get("reactivated").asInt()).isEqualTo(1);
        assertThat(syncs.get("items").get(2).get("added").asInt()).isEqualTo(4);
    }

    @Test
    void anAccountRenamedInTheOrganisationShowsItsNewNameOnTheNextFindingsPageAfterASync() {
        JsonNode organization = onboard(List.of(prod), List.of());
        assertThat(syncNow(organization).get("added").asInt()).isEqualTo(3);
        assertThat(scanAll().get("status").asString()).isEqualTo("SUCCEEDED");
        String billing = members.get("billing");
        String name = accountsByAwsId().get(billing).get("name").asString();
        String page = "/api/v1/findings?limit=500&awsAccountId=" + billing;
        // Read once, so the page is cached under the tenant's findings version.
        JsonNode before = tenant.api().get(page).json().get("items");
        assertThat(before).isNotEmpty().allSatisfy(f -> assertThat(f.get("accountName").asString()).isEqualTo(name));

        long version = findingsVersion();
        assertThat(syncNow(organization).get("unchanged").asInt()).isEqualTo(3);
        assertThat(findingsVersion()).as("the same names: cached pages stay valid").isEqualTo(version);

        sim.renameAccount(organizationId, billing, "billing-renamed");
        JsonNode sync = syncNow(organization);
        assertThat(sync.get("status").asString()).as(sync.toString()).isEqualTo("SUCCEEDED");
        assertThat(sync.get("unchanged").asInt()).isEqualTo(3);
        assertThat(accountsByAwsId().get(billing).get("name").asString()).isEqualTo("billing-renamed");
        assertThat(tenant.api().get(page).json().get("items")).hasSize(before.size())
                .allSatisfy(f -> assertThat(f.get("accountName").asString()).isEqualTo("billing-renamed"));
    }

    @Test
    void excludingAnAccountOrNarrowingTheOusTakesEffectAtTheNextSync() {
        JsonNode organization = onboard(List.of(workloads), List.of());
        String path = "/api/v1/organizations/" + organization.get("id").asString();
        assertThat(syncNow(organization).get("added").asInt()).isEqualTo(4);

        ApiClient.Response patched = tenant.api().patch(path, Map.of("excludeAccounts", List.of(members.get("api")),
                "organizationalUnits", List.of(prod)));
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().get("organizationalUnits")).extracting(JsonNode::asString).containsExactly(prod);
        assertThat(patched.json().get("name").asString()).isEqualTo("Acme");
        assertThat(tenant.api().patch(path, Map.of("excludeAccounts", List.of("12"))).status()).isEqualTo(400);
        assertThat(tenant.api().patch(path, Map.of("name", " ")).status()).isEqualTo(400);
        assertThat(newTenant().api().patch(path, Map.of("name", "mine")).status()).isEqualTo(404);

        JsonNode sync = syncNow(organization);
        assertThat(sync.get("removed").asInt()).isEqualTo(2);
        assertThat(sync.get("unchanged").asInt()).isEqualTo(2);
        Map<String, JsonNode> accounts = accountsByAwsId();
        assertThat(reason(accounts, "api")).isEqualTo("EXCLUDED");
        assertThat(reason(accounts, "tools")).isEqualTo("MOVED_OUT");
        assertThat(accounts.get(members.get("billing")).get("enabled").asBoolean()).isTrue();
    }

    @Test
    void removingAnOrganisationStopsItsSyncsAndDeactivatesItsAccountsKeepingTheirFindings() {
        JsonNode organization = onboard(List.of(prod), List.of());
        String id = organization.get("id").asString();
        String path = "/api/v1/organizations/" + id;
        assertThat(syncNow(organization).get("added").asInt()).isEqualTo(3);
        assertThat(scanAll().get("status").asString()).isEqualTo("SUCCEEDED");
        int findings = tenant.api().get("/api/v1/findings?limit=500").json().get("items").size();
        assertThat(findings).isPositive();
        TaskInstanceId schedule = TaskInstanceId.of(OrganizationTasks.TENANT_SCHEDULE, tenant.id().toString());
        assertThat(scheduler.getScheduledExecution(schedule)).isPresent();

        assertThat(newTenant().api().delete(path).status()).as("another tenant's organisation").isEqualTo(404);
        // While a sync is under way the removal is refused: that sync would register the accounts again.
        UUID running = UUID.randomUUID();
        try (Seed seed = new Seed(tenant.id())) {
            seed.execute("insert into organization_syncs (id, tenant_id, organization_id, trigger, status, created_at)"
                    + " values (?, ?, ?, 'MANUAL', 'RUNNING', now())", running, tenant.id(), UUID.fromString(id));
        }
        ApiClient.Response refused = tenant.api().delete(path);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asString()).contains(running.toString(), "RUNNING");
        assertThat(accountsByAwsId().values()).allSatisfy(a -> assertThat(a.get("enabled").asBoolean()).isTrue());
        try (Seed seed = new Seed(tenant.id())) {
            seed.execute("update organization_syncs set status = 'FAILED', finished_at = now() where id = ?", running);
        }

        assertThat(tenant.api().delete(path).status()).isEqualTo(204);
        assertThat(tenant.api().get(path).status()).isEqualTo(404);
        assertThat(tenant.api().get("/api/v1/organizations").json().get("items")).isEmpty();
        assertThat(tenant.api().post(path + "/sync", Map.of()).status()).isEqualTo(404);
        assertThat(tenant.api().delete(path).status()).isEqualTo(404);
        assertThat(scheduler.getScheduledExecution(schedule)).as("its last organisation: no more scheduled syncs")
                .isEmpty();
        Map<String, JsonNode> accounts = accountsByAwsId();
        assertThat(accounts).hasSize(3);
        for (String name : List.of("api", "billing", "search")) {
            assertThat(reason(accounts, name)).isEqualTo("ORGANIZATION_REMOVED");
            assertThat(accounts.get(members.get(name)).get("status").asString()).isEqualTo("DISABLED");
        }
        JsonNode kept = tenant.api().get("/api/v1/findings?limit=500").json().get("items");
        assertThat(kept).hasSize(findings).allSatisfy(f -> assertThat(f.get("accountDeactivated").get("reason")
                .asString()).isEqualTo("ORGANIZATION_REMOVED"));
        assertThat(tenant.api().post("/api/v1/scans", Map.of()).status()).as("no enabled account to scan")
                .isEqualTo(409);

        // Registered again (a new ExternalId, both stacks redeployed), it takes its accounts back.
        JsonNode again = onboard(List.of(prod), List.of());
        assertThat(again.get("externalId").asString()).isNotEqualTo(organization.get("externalId").asString());
        JsonNode sync = syncNow(again);
        assertThat(sync.get("status").asString()).as(sync.toString()).isEqualTo("SUCCEEDED");
        assertThat(sync.get("reactivated").asInt()).isEqualTo(3);
        assertThat(sync.get("verified").asInt()).isEqualTo(3);
        assertThat(accountsByAwsId().values()).hasSize(3).allSatisfy(a -> {
            assertThat(a.get("organizationId").asString()).isEqualTo(again.get("id").asString());
            assertThat(a.get("externalId").asString()).isEqualTo(again.get("externalId").asString());
            assertThat(a.get("status").asString()).isEqualTo("CONNECTED");
        });
        assertThat(scheduler.getScheduledExecution(schedule)).isPresent();
    }

    @Test
    void eachTenantWithAnOrganisationIsSyncedEverySixHoursByItsOwnTask() {
        JsonNode organization = onboard(List.of(prod), List.of());
        var task = scheduler.getScheduledExecution(TaskInstanceId.of(OrganizationTasks.TENANT_SCHEDULE,
                tenant.id().toString()));
        assertThat(task).isPresent();
        assertThat(Duration.between(Instant.now(), task.get().getExecutionTime()))
                .isBetween(Duration.ofHours(6).minusMinutes(5), Duration.ofHours(6));

        // What the task does when it fires: queues a SCHEDULED sync of each of the tenant's organisations, which a
        // task of its own runs.
        assertThat(schedules.fire(tenant.id())).isTrue();
        String syncs = "/api/v1/organizations/" + organization.get("id").asString() + "/syncs";
        JsonNode sync = await(syncs + "/" + tenant.api().get(syncs).json().get("items").get(0).get("id").asString(),
                s -> !List.of("QUEUED", "RUNNING").contains(s.get("status").asString()));
        assertThat(sync.get("trigger").asString()).isEqualTo("SCHEDULED");
        assertThat(sync.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(sync.get("added").asInt()).isEqualTo(3);
        assertThat(schedules.fire(newTenant().id())).as("a tenant without organisations: the task removes itself")
                .isFalse();
    }

    @Test
    void aSyncTaskRunAgainAfterItsSyncEndedLeavesTheSyncAsItEnded() {
        JsonNode organization = onboard(List.of(prod), List.of());
        JsonNode ended = syncNow(organization);
        assertThat(ended.get("added").asInt()).isEqualTo(3);

        // As a task revived because its instance died after the sync's end was committed, before the task was removed.
        sync.run(tenant.id(), UUID.fromString(organization.get("id").asString()),
                UUID.fromString(ended.get("id").asString()));
        String path = "/api/v1/organizations/" + organization.get("id").asString() + "/syncs";
        assertThat(tenant.api().get(path + "/" + ended.get("id").asString()).json()).isEqualTo(ended);
        assertThat(tenant.api().get(path).json().get("items")).hasSize(1);
    }

    @Test
    void withoutTheReaderRoleTheSyncFailsAndChangesNothing() {
        ApiClient.Response created = register(Map.of("managementAccountId", management, "name", "Acme"));
        JsonNode sync = syncNow(created.json());
        assertThat(sync.get("status").asString()).isEqualTo("FAILED");
        assertThat(sync.get("error").get("code").asString()).isEqualTo("ASSUME_ROLE_DENIED");
        assertThat(tenant.api().get("/api/v1/accounts").json().get("items")).isEmpty();
    }

    @Test
    void aMemberAccountsRoleCannotReadTheOrganisation() {
        String member = members.get("tools");
        ApiClient.Response created = register(Map.of("managementAccountId", member, "name", "Not the management"));
        sim.deployOrgReaderRole(member, SpokeRoleTemplate.DEFAULT_ORG_READER_ROLE_NAME,
                created.json().get("externalId").asString());
        JsonNode sync = syncNow(created.json());
        assertThat(sync.get("status").asString()).isEqualTo("FAILED");
        assertThat(sync.get("error").get("code").asString()).isEqualTo("ACCESS_DENIED");
        assertThat(sync.get("apiCalls").asInt()).isEqualTo(1);
    }

    @Test
    void tooManyRequestsAreRetriedWithBackOffAndCounted() {
        JsonNode organization = onboard(List.of(), List.of());
        sim.setQuota("ListTagsForResource", 2);
        try {
            JsonNode sync = syncNow(organization);
            assertThat(sync.get("status").asString()).as(sync.toString()).isEqualTo("SUCCEEDED");
            assertThat(sync.get("added").asInt()).isEqualTo(5);
            assertThat(sync.get("throttled").asInt()).isPositive();
            assertThat(sync.get("apiCalls").asInt()).isEqualTo(2 * 4 + 2 + 5 + sync.get("throttled").asInt());
        } finally {
            sim.clearQuotaOverrides();
        }
    }

    @Test
    void badInputIsAProblemAndRegistersNothing() {
        List<Map<String, Object>> bad = List.of(
                Map.of("managementAccountId", "12345", "name", "x"),
                Map.of("managementAccountId", management, "name", " "),
                Map.of("managementAccountId", management, "name", "x", "organizationalUnits", List.of("OU-1")),
                Map.of("managementAccountId", management, "name", "x", "organizationalUnits", List.of(prod, prod)),
                Map.of("managementAccountId", management, "name", "x", "excludeAccounts", List.of("abc")),
                Map.of("managementAccountId", management, "name", "x", "regions", List.of("mars-north-1")),
                Map.of("managementAccountId", management, "name", "x", "readerRoleName", "bad role"));
        for (Map<String, Object> body : bad) {
            ApiClient.Response response = register(body);
            assertThat(response.status()).as(body.toString()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().get("errors")).isNotEmpty();
        }
        assertThat(register("{\"managementAccountId\": ").status()).isEqualTo(400);
        assertThat(tenant.api().get("/api/v1/organizations").json().get("items")).isEmpty();
        assertThat(register(Map.of("managementAccountId", management, "name", "x")).status()).isEqualTo(201);
        assertThat(register(Map.of("managementAccountId", management, "name", "again")).status()).isEqualTo(409);
    }

    @Test
    void anotherTenantSeesNoneOfIt() {
        JsonNode organization = onboard(List.of(prod), List.of());
        String id = organization.get("id").asString();
        JsonNode sync = syncNow(organization);
        ApiClient other = newTenant().api();
        assertThat(other.get("/api/v1/organizations").json().get("items")).isEmpty();
        assertThat(other.get("/api/v1/organizations/" + id).status()).isEqualTo(404);
        assertThat(other.post("/api/v1/organizations/" + id + "/sync", Map.of()).status()).isEqualTo(404);
        assertThat(other.get("/api/v1/organizations/" + id + "/syncs").status()).isEqualTo(404);
        assertThat(other.get("/api/v1/organizations/" + id + "/syncs/" + sync.get("id").asString()).status())
                .isEqualTo(404);
        assertThat(other.get("/api/v1/accounts").json().get("items")).isEmpty();
        // the same organisation may be registered by another tenant, with an ExternalId of its own
        ApiClient.Response again = other.post("/api/v1/organizations", Map.of("managementAccountId", management,
                "name", "also mine"));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("externalId").asString()).isNotEqualTo(organization.get("externalId").asString());
    }

    // fixtures

    private void join(String name, String parentId) {
        String id = TestSpokeSim.newAccount(List.of("us-east-1"), 2);
        members.put(name, id);
        sim.joinOrganization(organizationId, id, parentId, Map.of("team", name, "env", "prod"));
    }

    private ApiClient.Response register(Object body) {
        return tenant.api().post("/api/v1/organizations", body);
    }

    /** Registered, with the customer's two stacks deployed as the onboarding says. */
    private JsonNode onboard(List<String> units, List<String> exclude) {
        ApiClient.Response created = register(Map.of("managementAccountId", management, "name", "Acme",
                "organizationalUnits", units, "excludeAccounts", exclude));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String externalId = created.json().get("externalId").asString();
        sim.deployOrgReaderRole(management, SpokeRoleTemplate.DEFAULT_ORG_READER_ROLE_NAME, externalId);
        sim.deployStackSet(organizationId, SpokeRoleTemplate.DEFAULT_ROLE_NAME, externalId,
                units.isEmpty() ? Set.of(rootId) : Set.copyOf(units));
        return created.json();
    }

    private JsonNode syncNow(JsonNode organization) {
        ApiClient.Response requested = tenant.api().post("/api/v1/organizations/" + organization.get("id").asString()
                + "/sync", Map.of());
        assertThat(requested.status()).as(requested.text()).isEqualTo(202);
        return await(requested.header("Location"),
                s -> !List.of("QUEUED", "RUNNING").contains(s.get("status").asString()));
    }

    private JsonNode scanAll() {
        ApiClient.Response started = tenant.api().post("/api/v1/scans", Map.of());
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        return await("/api/v1/scans/" + started.json().get("id").asString(),
                s -> !List.of("QUEUED", "RUNNING").contains(s.get("status").asString()));
    }

    private int openFindings(String accountId) {
        return tenant.api().get("/api/v1/findings?limit=500&accountId=" + accountId).json().get("items").size();
    }

    private long findingsVersion() {
        return TenantContext.callAs(tenant.id(), () -> tx.execute(s -> jdbc.sql(
                "select findings_version from tenants where id = ?").param(tenant.id()).query(Long.class).single()));
    }

    private Map<String, JsonNode> accountsByAwsId() {
        Map<String, JsonNode> byId = new HashMap<>();
        tenant.api().get("/api/v1/accounts?limit=500").json().get("items")
                .forEach(a -> byId.put(a.get("awsAccountId").asString(), a));
        return byId;
    }

    private String reason(Map<String, JsonNode> accounts, String name) {
        JsonNode account = accounts.get(members.get(name));
        assertThat(account.get("enabled").asBoolean()).isFalse();
        return account.get("deactivatedReason").asString();
    }

    private JsonNode await(String path, java.util.function.Predicate<JsonNode> done) {
        return tenant.api().await(path, done, TIMEOUT);
    }

    private static void setDefaultRegions(ApiClient api) {
        JsonNode settings = api.get("/api/v1/settings").json();
        Map<String, Object> body = Map.of(
                "exceptionTag", Map.of("key", "unusd", "value", "true"),
                "unusedDays", settings.get("unusedDays").asInt(),
                "maxRotationPeriodDays", settings.get("maxRotationPeriodDays").asInt(),
                "defaultRegions", List.of("us-east-1"),
                "schedule", Map.of("cron", "0 0 6 * * *", "timezone", "UTC", "enabled", false));
        ApiClient.Response put = api.put("/api/v1/settings", body);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
    }
}
