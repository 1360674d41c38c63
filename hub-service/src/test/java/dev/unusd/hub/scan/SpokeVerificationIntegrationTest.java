package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.SpokeSim;
import tools.jackson.databind.JsonNode;

/**
 * POST /api/v1/accounts/{id}/verify: one AssumeRole, then one check per permission in every region of the account,
 * each with what AWS's answer says of it; the account's status follows.
 */
class SpokeVerificationIntegrationTest extends EngineIntegrationTest {

    static final String ACCOUNT = """
            regions:
              eu-west-1:
                keys:
                  - {spec: RSA_2048, usage: SIGN_VERIFY}
            """;
    /** The hub's own STS region, where the role is assumed (hub.aws.region). */
    static final String HUB_REGION = "us-east-1";
    static final List<String> REGION_ACTIONS = List.of("kms:ListKeys", "kms:ListAliases", "kms:DescribeKey",
            "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:ListKeyRotations", "kms:GetKeyLastUsage",
            "kms:GetKeyPolicy", "kms:ListGrants", "cloudtrail:LookupEvents");

    @Test
    void aDeployedRoleWithTheTemplatesPermissionsIsConnectedInEveryRegion() {
        // eu-west-1 holds an RSA key: rotation calls answer UnsupportedOperationException for it, which IAM allowed.
        // us-east-1 holds none: per-key calls go to a key that does not exist and answer NotFoundException.
        Target target = register(ACCOUNT, "eu-west-1", "us-east-1");

        ApiClient.Response response = verify(target);

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("status").asString()).isEqualTo("CONNECTED");
        assertThat(body.get("checkedAt").asString()).endsWith("Z");
        assertThat(checks(body)).containsExactlyElementsOf(expected(List.of("eu-west-1", "us-east-1"),
                (action, region) -> "GRANTED"));
        body.get("checks").forEach(check -> {
            assertThat(check.get("ok").asBoolean()).as(check.toString()).isTrue();
            assertThat(check.get("error").isNull()).as(check.toString()).isTrue();
        });
        assertThat(regions(body)).containsExactly("eu-west-1 CONNECTED null", "us-east-1 CONNECTED null");
        assertThat(status(target)).isEqualTo("CONNECTED");
    }

    @Test
    void aRegionWithoutKeysIsCheckedOnAKeyThatDoesNotExist() {
        Target target = register("regions: {}\n", "ap-southeast-2");

        JsonNode body = verify(target).json();

        assertThat(body.get("status").asString()).isEqualTo("CONNECTED");
        assertThat(checks(body)).containsExactlyElementsOf(expected(List.of("ap-southeast-2"),
                (action, region) -> "GRANTED"));
    }

    @Test
    void aRoleMissingOnePermissionIsDeniedExactlyThatPermissionInEveryRegion() {
        Target target = register(ACCOUNT, "eu-west-1", "us-east-1");
        Set<String> actions = new HashSet<>(SpokeSim.templateActions());
        actions.remove("kms:ListResourceTags");
        sim().setRoleActions(target.awsAccountId(), ROLE, actions);

        JsonNode body = verify(target).json();

        assertOnlyNotGranted(body, List.of("eu-west-1", "us-east-1"), "kms:ListResourceTags", "DENIED",
                "The spoke role may not call kms:ListResourceTags: AccessDeniedException: User: arn:aws:sts::"
                        + target.awsAccountId() + ":assumed-role/UnusdSpokeRole/unusd-hub-");
        assertThat(status(target)).isEqualTo("FAILED");
    }

    @Test
    void aListedRegionTheAccountHasNotEnabledFailsTheAccount() {
        Target target = register(ACCOUNT, "eu-west-1", "ap-southeast-2");
        sim().setRegionEnabled(target.awsAccountId(), "ap-southeast-2", false);

        JsonNode body = verify(target).json();

        assertThat(body.get("status").asString()).isEqualTo("FAILED");
        List<String> expected = new ArrayList<>(expected(List.of("eu-west-1"), (action, region) -> "GRANTED"));
        // The first call answers that the region is not enabled; the region's other calls would answer the same.
        expected.add("kms:ListKeys ap-southeast-2 REGION_NOT_ENABLED");
        assertThat(checks(body)).containsExactlyElementsOf(expected);
        assertThat(body.get("checks").get(body.get("checks").size() - 1).get("ok").asBoolean()).isFalse();
        assertThat(regions(body)).containsExactly("eu-west-1 CONNECTED null",
                "ap-southeast-2 REGION_NOT_ENABLED The account has not enabled ap-southeast-2 (UnrecognizedClientException)");
        assertThat(status(target)).isEqualTo("FAILED");
    }

    @Test
    void aRegionFromTheTenantsDefaultsThatIsNotEnabledIsReportedWithoutFailingTheAccount() {
        Scenario.Account account = TestSpokeSim.addAccount(ACCOUNT);
        TenantHandle tenant = newTenant();
        assertThat(tenant.api().put("/api/v1/settings", Map.of(
                "exceptionTag", Map.of("key", "unusd", "value", "true"), "unusedDays", 90, "maxRotationPeriodDays", 365,
                "defaultRegions", List.of("eu-west-1", "ap-southeast-2"),
                "schedule", Map.of("cron", "0 0 6 * * *", "timezone", "UTC", "enabled", false))).status())
                .isEqualTo(200);
        JsonNode created = tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", account.id(),
                "name", "sim " + account.id())).json();
        assertThat(created.get("regionsFromDefaults").asBoolean()).isTrue();
        sim().deployRole(account.id(), ROLE, created.get("externalId").asString());
        sim().setRegionEnabled(account.id(), "ap-southeast-2", false);
        Target target = new Target(tenant, UUID.fromString(created.get("id").asString()), account.id(),
                created.get("externalId").asString(), account);

        JsonNode body = verify(target).json();

        assertThat(body.get("status").asString()).isEqualTo("CONNECTED");
        assertThat(regions(body)).containsExactly("eu-west-1 CONNECTED null",
                "ap-southeast-2 REGION_NOT_ENABLED The account has not enabled ap-southeast-2 (UnrecognizedClientException)");
        assertThat(status(target)).isEqualTo("CONNECTED");

        // With no region enabled nothing but the AssumeRole was verified: not connected.
        sim().setRegionEnabled(account.id(), "eu-west-1", false);
        JsonNode none = verify(target).json();
        assertThat(none.get("status").asString()).isEqualTo("FAILED");
        assertThat(checks(none)).containsExactly("sts:AssumeRole " + HUB_REGION + " GRANTED",
                "kms:ListKeys eu-west-1 REGION_NOT_ENABLED", "kms:ListKeys ap-southeast-2 REGION_NOT_ENABLED");
        assertThat(status(target)).isEqualTo("FAILED");

        // Regions set for the account are listed for it: a region not enabled then fails it.
        sim().setRegionEnabled(account.id(), "eu-west-1", true);
        JsonNode patched = tenant.api().patch("/api/v1/accounts/" + target.accountId(),
                Map.of("regions", List.of("eu-west-1", "ap-southeast-2"))).json();
        assertThat(patched.get("regionsFromDefaults").asBoolean()).isFalse();
        assertThat(verify(target).json().get("status").asString()).isEqualTo("FAILED");
    }

    @Test
    void aServerErrorOnOneOperationIsAnErrorWithItsMessage() {
        Target target = register(ACCOUNT, "eu-west-1", "us-east-1");
        JsonNode body;
        try {
            sim().setServerErrorRate("ListAliases", 1.0);
            body = verify(target).json();
        } finally {
            sim().setServerErrorRate("ListAliases", 0);
        }

        assertOnlyNotGranted(body, List.of("eu-west-1", "us-east-1"), "kms:ListAliases", "ERROR",
                "KMSInternalException: An internal error occurred.");
        assertThat(status(target)).isEqualTo("FAILED");
    }

    @Test
    void anOperationTheEndpointDoesNotImplementIsUnsupported() {
        Target target = register(ACCOUNT, "eu-west-1", "us-east-1");
        sim().setUnsupportedOperation(target.awsAccountId(), "GetKeyLastUsage", true);

        JsonNode body = verify(target).json();

        assertOnlyNotGranted(body, List.of("eu-west-1", "us-east-1"), "kms:GetKeyLastUsage", "UNSUPPORTED",
                "The endpoint does not implement kms:GetKeyLastUsage: UnknownOperationException: The simulator does "
                        + "not implement GetKeyLastUsage");
        assertThat(status(target)).isEqualTo("FAILED");
    }

    @Test
    void anUndeployedRoleFailsAtAssumeRole() {
        Scenario.Account account = TestSpokeSim.addAccount(ACCOUNT);
        Target target = registerIn(newTenant(), account, false, "eu-west-1", "us-east-1");

        JsonNode body = verify(target).json();

        assertThat(body.get("status").asString()).isEqualTo("FAILED");
        assertThat(checks(body)).containsExactly("sts:AssumeRole " + HUB_REGION + " DENIED");
        assertThat(body.get("checks").get(0).get("error").asString()).startsWith("The hub may not assume arn:aws:iam::"
                + account.id() + ":role/UnusdSpokeRole (AccessDenied)");
        assertThat(regions(body)).containsExactly(
                "eu-west-1 FAILED Not checked: the hub could not assume the spoke role",
                "us-east-1 FAILED Not checked: the hub could not assume the spoke role");
        assertThat(status(target)).isEqualTo("FAILED");
    }

    @Test
    void anotherTenantsAccountIsNotFound() {
        Target target = register(ACCOUNT, "eu-west-1");

        ApiClient.Response response = newTenant().api().post("/api/v1/accounts/" + target.accountId() + "/verify", "{}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    private static ApiClient.Response verify(Target target) {
        return target.tenant().api().post("/api/v1/accounts/" + target.accountId() + "/verify", "{}");
    }

    /**
     * The account FAILED, and in every region exactly {@code action} not granted: with {@code status} and an error
     * that starts with {@code error}.
     */
    private static void assertOnlyNotGranted(JsonNode body, List<String> regions, String action, String status,
            String error) {
        assertThat(body.get("status").asString()).isEqualTo("FAILED");
        assertThat(checks(body)).containsExactlyElementsOf(expected(regions,
                (a, region) -> a.equals(action) ? status : "GRANTED"));
        body.get("checks").forEach(check -> {
            if (!check.get("ok").asBoolean()) {
                assertThat(check.get("error").asString()).startsWith(error);
            }
        });
        assertThat(regions(body)).containsExactlyElementsOf(regions.stream()
                .map(region -> region + " FAILED Not granted: " + action + " (" + status + ")").toList());
    }

    /** The AssumeRole, then every region's actions in the account's order, each as "action region STATUS". */
    private static List<String> expected(List<String> regions, BiFunction<String, String, String> status) {
        List<String> checks = new ArrayList<>();
        checks.add("sts:AssumeRole " + HUB_REGION + " GRANTED");
        regions.forEach(region -> REGION_ACTIONS.forEach(action ->
                checks.add(action + " " + region + " " + status.apply(action, region))));
        return checks;
    }

    private static List<String> checks(JsonNode body) {
        List<String> checks = new ArrayList<>();
        body.get("checks").forEach(check -> {
            assertThat(check.get("ok").asBoolean()).as(check.toString())
                    .isEqualTo(check.get("status").asString().equals("GRANTED"));
            checks.add(check.get("action").asString() + " " + check.get("region").asString() + " "
                    + check.get("status").asString());
        });
        return checks;
    }

    private static List<String> regions(JsonNode body) {
        List<String> regions = new ArrayList<>();
        body.get("regions").forEach(region -> regions.add(region.get("region").asString() + " "
                + region.get("status").asString() + " "
                + (region.get("error").isNull() ? "null" : region.get("error").asString())));
        return regions;
    }

    private static String status(Target target) {
        return target.tenant().api().get("/api/v1/accounts/" + target.accountId()).json().get("status").asString();
    }
}
