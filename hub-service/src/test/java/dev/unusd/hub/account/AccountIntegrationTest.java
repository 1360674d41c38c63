package dev.unusd.hub.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import tools.jackson.databind.JsonNode;

class AccountIntegrationTest extends HubIntegrationTest {

    @Autowired
    AccountApi accounts;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate tx;

    @Test
    void anAccountReadWithSqlIsTheAccountReadThroughJpa() {
        TenantHandle tenant = newTenant();
        UUID byHand = UUID.fromString(tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789031",
                "name", "by hand", "regions", List.of("eu-west-1", "us-east-1"))).json().get("id").asString());
        tenant.api().patch("/api/v1/accounts/" + byHand, Map.of("enabled", false));
        UUID organization = UUID.randomUUID();
        TenantContext.runAs(tenant.id(), () -> tx.executeWithoutResult(s -> jdbc.sql("""
                insert into organizations (id, tenant_id, management_account_id, name, organizational_units, external_id,
                                           reader_role_name, spoke_role_name, created_at)
                values (?, ?, '123456789032', 'org', '{}', ?, 'Reader', 'Spoke', now())""")
                .params(organization, tenant.id(), "unusd-" + "x".repeat(40)).update()));
        AccountApi.MembershipChanges synced = TenantContext.callAs(tenant.id(), () -> accounts.syncOrganizationMembers(
                organization, null, List.of(new OrganizationMember("123456789033", "member", organization,
                        "o-abc/r-root/ou-one/", Map.of("team", "payments", "env", "prod"), "Spoke",
                        "unusd-" + "y".repeat(40))), Map.of()));
        UUID member = synced.added().getFirst().id();
        TenantContext.runAs(tenant.id(), () -> accounts.syncOrganizationMembers(organization, null, List.of(),
                Map.of("123456789033", Deactivation.SUSPENDED)));

        for (UUID id : List.of(byHand, member)) {
            AccountRef throughJpa = TenantContext.callAs(tenant.id(), () -> accounts.find(id)).orElseThrow();
            assertThat(TenantContext.callAs(tenant.id(), () -> accounts.findStored(id))).contains(throughJpa);
        }
        AccountRef suspended = TenantContext.callAs(tenant.id(), () -> accounts.findStored(member)).orElseThrow();
        assertThat(suspended.tags()).isEqualTo(Map.of("team", "payments", "env", "prod"));
        assertThat(suspended.deactivatedReason()).isEqualTo(Deactivation.SUSPENDED);
        assertThat(TenantContext.callAs(tenant.id(), () -> accounts.findStored(UUID.randomUUID()))).isEmpty();
    }

    @Test
    void registersAnAccountWithHubIssuedExternalIdAndOnboardingLinks() {
        TenantHandle tenant = newTenant();

        ApiClient.Response created = tenant.api().post("/api/v1/accounts",
                Map.of("awsAccountId", "123456789012", "name", "payments-prod", "regions", List.of("eu-west-1", "us-east-1")));

        assertThat(created.status()).isEqualTo(201);
        JsonNode a = created.json();
        String id = a.get("id").asString();
        String externalId = a.get("externalId").asString();
        assertThat(created.header("Location")).isEqualTo("/api/v1/accounts/" + id);
        assertThat(a.get("awsAccountId").asString()).isEqualTo("123456789012");
        assertThat(a.get("name").asString()).isEqualTo("payments-prod");
        assertThat(a.get("regions").toString()).isEqualTo("[\"eu-west-1\",\"us-east-1\"]");
        assertThat(a.get("regionsFromDefaults").asBoolean()).isFalse();
        assertThat(a.get("roleArn").asString()).isEqualTo("arn:aws:iam::123456789012:role/UnusdSpokeRole");
        assertThat(a.get("status").asString()).isEqualTo("PENDING");
        assertThat(externalId).matches("unusd-[0-9A-Za-z]{40}");

        // The suite's hub has no template in S3 (HUB_TEMPLATE_URL): no quick-create link, and a CLI command that
        // deploys the template this hub serves from a local copy. OnboardingLinksUnitTest covers the S3 links.
        JsonNode onboarding = a.get("onboarding");
        assertThat(onboarding.get("templateUrl").asString())
                .isEqualTo("https://hub.example.test/api/v1/onboarding/spoke-role.yaml");
        assertThat(onboarding.get("quickCreateUrl").isNull()).isTrue();
        assertThat(onboarding.get("cliCommand").asString()).isEqualTo(
                "curl -fsS -o spoke-role.yaml https://hub.example.test/api/v1/onboarding/spoke-role.yaml"
                        + " && aws cloudformation create-stack --region eu-west-1 --stack-name unusd-spoke-role"
                        + " --template-body file://spoke-role.yaml"
                        + " --parameters ParameterKey=HubPrincipal,ParameterValue=111111111111"
                        + " ParameterKey=ExternalId,ParameterValue=" + externalId
                        + " ParameterKey=RoleName,ParameterValue=UnusdSpokeRole --capabilities CAPABILITY_NAMED_IAM");
        assertThat(onboarding.get("note").asString()).contains("HUB_TEMPLATE_URL");

        JsonNode read = tenant.api().get("/api/v1/accounts/" + id).json();
        assertThat(read.get("externalId").asString()).isEqualTo(externalId);
    }

    @Test
    void regionsDefaultToTheTenantsDefaultRegionsAndRoleNameCanBeChosen() {
        TenantHandle tenant = newTenant();

        JsonNode a = tenant.api().post("/api/v1/accounts",
                Map.of("awsAccountId", "123456789013", "name", "dev", "roleName", "Custom.Role@Hub")).json();

        // A new tenant restricts nothing: the account covers every region.
        assertThat(a.get("regions").toString()).isEqualTo("[]");
        assertThat(a.get("everyRegion").asBoolean()).isTrue();
        assertThat(a.get("regionsFromDefaults").asBoolean()).isTrue();
        assertThat(a.get("roleArn").asString()).isEqualTo("arn:aws:iam::123456789013:role/Custom.Role@Hub");
        assertThat(a.get("onboarding").get("cliCommand").asString()).contains("--region us-east-1 ");

        assertThat(tenant.api().put("/api/v1/settings", Map.of("exceptionTag", Map.of("key", "unusd", "value", "true"),
                "unusedDays", 90, "maxRotationPeriodDays", 365, "defaultRegions", List.of("eu-west-1"),
                "schedule", Map.of("cron", "0 0 6 * * *", "timezone", "UTC", "enabled", true))).status()).isEqualTo(200);
        JsonNode restricted = tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789019", "name", "eu"))
                .json();
        assertThat(restricted.get("regions").toString()).isEqualTo("[\"eu-west-1\"]");
        assertThat(restricted.get("everyRegion").asBoolean()).isFalse();
        assertThat(restricted.get("regionsFromDefaults").asBoolean()).isTrue();
    }

    @Test
    void theExternalIdIsNeverTakenFromTheRequestAndIsUnique() {
        TenantHandle tenant = newTenant();

        ApiClient.Response withExternalId = tenant.api().post("/api/v1/accounts",
                Map.of("awsAccountId", "123456789014", "name", "x", "externalId", "mine-mine-mine-mine-mine-mine-mine"));
        assertThat(withExternalId.status()).isEqualTo(400);
        assertThat(withExternalId.json().get("errors").get(0).get("field").asString()).isEqualTo("externalId");

        String first = tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789015", "name", "a"))
                .json().get("externalId").asString();
        String second = newTenant().api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789015", "name", "a"))
                .json().get("externalId").asString();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void aDuplicateAccountIsAConflict() {
        TenantHandle tenant = newTenant();
        tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789016", "name", "a"));

        ApiClient.Response duplicate = tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789016", "name", "b"));

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("detail").asString()).isEqualTo("AWS account 123456789016 is already registered");
        // The same AWS account may belong to another tenant.
        assertThat(newTenant().api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789016", "name", "b")).status())
                .isEqualTo(201);
    }

    @Test
    void refusesInvalidRegistrations() {
        TenantHandle tenant = newTenant();

        assertThat(fieldsOf(tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "12345", "name", "a"))))
                .containsExactly("awsAccountId");
        assertThat(fieldsOf(tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "12345678901a", "name", "a"))))
                .containsExactly("awsAccountId");
        assertThat(fieldsOf(tenant.api().post("/api/v1/accounts",
                Map.of("awsAccountId", "123456789012", "name", "a", "regions", List.of("us-east-1", "us-middle-9")))))
                .containsExactly("regions[1]");
        assertThat(fieldsOf(tenant.api().post("/api/v1/accounts",
                Map.of("awsAccountId", "123456789012", "name", "a", "regions", java.util.Collections.nCopies(41, "us-east-1")))))
                .containsExactly("regions");
        assertThat(fieldsOf(tenant.api().post("/api/v1/accounts",
                Map.of("awsAccountId", "123456789012", "name", "a", "roleName", "bad/role name"))))
                .containsExactly("roleName");
        assertThat(fieldsOf(tenant.api().post("/api/v1/accounts",
                Map.of("awsAccountId", "123456789012", "name", "a", "roleName", "r".repeat(65)))))
                .containsExactly("roleName");
        assertThat(fieldsOf(tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", 123456789012L, "name", "a"))))
                .containsExactly("awsAccountId");
        assertThat(fieldsOf(tenant.api().post("/api/v1/accounts", Map.of("name", "a")))).containsExactly("awsAccountId");
        assertThat(tenant.api().get("/api/v1/accounts").json().get("items")).isEmpty();
    }

    /**
     * A region of another partition (GovCloud, China, ISO) is a region name AWS knows, but the spoke role is a
     * commercial-partition role: such a region could never be scanned nor verified, so it is refused as input.
     */
    @Test
    void refusesRegionsOfOtherPartitionsThanTheSpokeRoles() {
        TenantHandle tenant = newTenant();
        for (String region : List.of("cn-north-1", "us-gov-west-1", "us-iso-east-1")) {
            assertThat(fieldsOf(tenant.api().post("/api/v1/accounts",
                    Map.of("awsAccountId", "123456789012", "name", "a", "regions", List.of("us-east-1", region)))))
                    .as(region).containsExactly("regions[1]");
        }
        assertThat(tenant.api().get("/api/v1/accounts").json().get("items")).isEmpty();
        String id = tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789012", "name", "a",
                "regions", List.of("us-east-1"))).json().get("id").asString();
        assertThat(fieldsOf(tenant.api().patch("/api/v1/accounts/" + id, Map.of("regions", List.of("cn-northwest-1")))))
                .containsExactly("regions[0]");
        assertThat(tenant.api().get("/api/v1/accounts/" + id).json().get("regions").toString())
                .isEqualTo("[\"us-east-1\"]");
    }

    @Test
    void updatesDisablesAndRemovesAccounts() {
        TenantHandle tenant = newTenant();
        String id = tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789017", "name", "a"))
                .json().get("id").asString();
        assertThat(tenant.api().patch("/api/v1/accounts/" + id, Map.of("name", "kept")).json()
                .get("regionsFromDefaults").asBoolean()).isTrue();

        JsonNode renamed = tenant.api().patch("/api/v1/accounts/" + id,
                Map.of("name", "renamed", "regions", List.of("ap-southeast-2"))).json();
        assertThat(renamed.get("name").asString()).isEqualTo("renamed");
        assertThat(renamed.get("regions").toString()).isEqualTo("[\"ap-southeast-2\"]");
        // Regions set for the account are listed for it: a region it has not enabled then fails its verification.
        assertThat(renamed.get("regionsFromDefaults").asBoolean()).isFalse();
        assertThat(renamed.get("everyRegion").asBoolean()).isFalse();
        assertThat(renamed.get("status").asString()).isEqualTo("PENDING");
        JsonNode everywhere = tenant.api().patch("/api/v1/accounts/" + id, Map.of("regions", List.of())).json();
        assertThat(everywhere.get("regions").toString()).isEqualTo("[]");
        assertThat(everywhere.get("everyRegion").asBoolean()).isTrue();
        assertThat(tenant.api().patch("/api/v1/accounts/" + id, Map.of("regions", List.of("ap-southeast-2"))).json()
                .get("everyRegion").asBoolean()).isFalse();

        JsonNode disabled = tenant.api().patch("/api/v1/accounts/" + id, Map.of("enabled", false)).json();
        assertThat(disabled.get("enabled").asBoolean()).isFalse();
        assertThat(disabled.get("status").asString()).isEqualTo("DISABLED");

        JsonNode enabled = tenant.api().patch("/api/v1/accounts/" + id, Map.of("enabled", true)).json();
        assertThat(enabled.get("status").asString()).isEqualTo("PENDING");

        assertThat(tenant.api().patch("/api/v1/accounts/" + id, Map.of("enabled", "maybe")).status()).isEqualTo(400);
        assertThat(tenant.api().patch("/api/v1/accounts/" + id, Map.of("name", "  ")).status()).isEqualTo(400);
        assertThat(tenant.api().patch("/api/v1/accounts/" + id, Map.of("awsAccountId", "999999999999")).status())
                .isEqualTo(400);

        assertThat(tenant.api().delete("/api/v1/accounts/" + id).status()).isEqualTo(204);
        assertThat(tenant.api().get("/api/v1/accounts/" + id).status()).isEqualTo(404);
        assertThat(tenant.api().delete("/api/v1/accounts/" + id).status()).isEqualTo(404);
    }

    @Test
    void anotherTenantsAccountIsNotFound() {
        TenantHandle a = newTenant();
        TenantHandle b = newTenant();
        String id = a.api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789018", "name", "a"))
                .json().get("id").asString();

        assertThat(b.api().get("/api/v1/accounts/" + id).status()).isEqualTo(404);
        assertThat(b.api().patch("/api/v1/accounts/" + id, Map.of("name", "stolen")).status()).isEqualTo(404);
        assertThat(b.api().delete("/api/v1/accounts/" + id).status()).isEqualTo(404);
        assertThat(b.api().get("/api/v1/accounts").json().get("items")).isEmpty();
        assertThat(a.api().get("/api/v1/accounts/" + id).json().get("name").asString()).isEqualTo("a");
    }

    @Test
    void listsAccountsPageByPageAndRefusesForgedCursors() {
        TenantHandle tenant = newTenant();
        for (int i = 0; i < 5; i++) {
            tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "12345678902" + i, "name", "acct-" + i));
        }

        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = tenant.api().get("/api/v1/accounts?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(item -> names.add(item.get("name").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null);
        assertThat(names).containsExactly("acct-0", "acct-1", "acct-2", "acct-3", "acct-4");
        assertThat(pages).isEqualTo(3);

        String realCursor = tenant.api().get("/api/v1/accounts?limit=2").json().get("nextCursor").asString();
        String forged = realCursor.substring(0, realCursor.length() - 2) + (realCursor.endsWith("A") ? "BB" : "AA");
        assertThat(fieldsOf(tenant.api().get("/api/v1/accounts?cursor=" + forged))).containsExactly("cursor");
        // A cursor is bound to its tenant.
        assertThat(newTenant().api().get("/api/v1/accounts?cursor=" + realCursor).status()).isEqualTo(400);
        assertThat(fieldsOf(tenant.api().get("/api/v1/accounts?limit=0"))).containsExactly("limit");
        assertThat(fieldsOf(tenant.api().get("/api/v1/accounts?limit=501"))).containsExactly("limit");
        assertThat(fieldsOf(tenant.api().get("/api/v1/accounts?limit=abc"))).containsExactly("limit");
        assertThat(fieldsOf(tenant.api().get("/api/v1/accounts/not-a-uuid"))).containsExactly("id");
    }

    static List<String> fieldsOf(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        return StreamSupport.stream(response.json().get("errors").spliterator(), false)
                .map(e -> e.get("field").asString()).toList();
    }

}
