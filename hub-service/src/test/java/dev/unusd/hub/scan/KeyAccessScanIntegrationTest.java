package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.ScenarioReader;
import dev.unusd.spokesim.SpokeSim;
import tools.jackson.databind.JsonNode;

/**
 * Key policies and grants read by real scans of simulated accounts, through the API a user reads: the two findings
 * with their evidence and remediation, the access summary of a key, trustedAccounts, and a spoke role that predates
 * the two permissions.
 */
class KeyAccessScanIntegrationTest extends EngineIntegrationTest {

    private static final String PARTNER = "210987654321";
    private static final String PUBLIC_KEY = "0000acc0-0000-4000-8000-000000000001";
    private static final String SHARED_KEY = "0000acc0-0000-4000-8000-000000000002";
    private static final String S3_KEY = "0000acc0-0000-4000-8000-000000000003";
    private static final String DEFAULT = "{Sid: Enable IAM User Permissions, Effect: Allow, Principal: {AWS:"
            + " \"arn:aws:iam::ACCOUNT:root\"}, Action: \"kms:*\", Resource: \"*\"}";
    private static final String KEYS = """
            regions:
              us-east-1:
                keys:
                  - {id: %s, createdAt: -200d, rotation: {enabled: true}, lastUsage: {at: -1d, operation: Decrypt},
                     keyPolicy: {Version: "2012-10-17", Statement: [%s, {Sid: Open, Effect: Allow, Principal: "*", Action: "kms:Decrypt", Resource: "*"}]}}
                  - {id: %s, createdAt: -200d, rotation: {enabled: true}, lastUsage: {at: -1d, operation: Decrypt},
                     keyPolicy: {Version: "2012-10-17", Statement: [%s, {Sid: Partner, Effect: Allow, Principal: {AWS: "%s"}, Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*"}]},
                     grants: [{id: grant-partner, granteePrincipal: "arn:aws:iam::%s:role/etl", operations: [Decrypt]}]}
                  - {id: %s, createdAt: -200d, rotation: {enabled: true}, lastUsage: {at: -1d, operation: Decrypt},
                     keyPolicy: {Version: "2012-10-17", Statement: [%s, {Sid: S3, Effect: Allow, Principal: {AWS: "*"}, Action: "kms:Decrypt", Resource: "*", Condition: {StringEquals: {"kms:CallerAccount": "ACCOUNT", "kms:ViaService": s3.us-east-1.amazonaws.com}}}]}}
            """.formatted(PUBLIC_KEY, DEFAULT, SHARED_KEY, DEFAULT, PARTNER, PARTNER, S3_KEY, DEFAULT);

    @Test
    void policiesAndGrantsBecomeFindingsWithEvidenceRemediationAndAnAccessSummary() {
        Target target = registerWithOwnAccount(KEYS);
        ApiClient api = target.tenant().api();
        ScanFixture.disableSchedule(api);

        assertThat(scan(target, "us-east-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);

        JsonNode open = finding(api, "KEY_POLICY_PUBLIC", "OPEN");
        assertThat(open.get("severity").asString()).isEqualTo("CRITICAL");
        assertThat(open.get("keyId").asString()).isEqualTo(PUBLIC_KEY);
        assertThat(open.get("evidence").get("statements").get(0).asString()).isEqualTo("statement 1 (Sid Open)");
        assertThat(open.get("evidence").get("principals").get(0).get("principal").asString()).isEqualTo("*");
        assertThat(texts(open.get("remediation").get("cli"))).containsExactly(
                "aws kms get-key-policy --key-id " + PUBLIC_KEY + " --policy-name default --query Policy --output text"
                        + " --region us-east-1 > policy.json",
                "aws kms put-key-policy --key-id " + PUBLIC_KEY + " --policy-name default --policy '{\"Version\":"
                        + "\"2012-10-17\",\"Statement\":[{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\","
                        + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + target.awsAccountId() + ":root\"},\"Action\":"
                        + "\"kms:*\",\"Resource\":\"*\"}]}' --region us-east-1",
                "aws kms tag-resource --key-id " + PUBLIC_KEY + " --tags TagKey=unusd,TagValue=true --region us-east-1");

        JsonNode cross = finding(api, "KEY_CROSS_ACCOUNT_ACCESS", "OPEN");
        assertThat(cross.get("severity").asString()).isEqualTo("HIGH");
        assertThat(cross.get("keyId").asString()).isEqualTo(SHARED_KEY);
        assertThat(texts(cross.get("evidence").get("outsideAccounts"))).containsExactly(PARTNER);
        List<String> sources = new ArrayList<>();
        cross.get("evidence").get("principals").forEach(p -> sources.add(p.get("source").has("grantId")
                ? "grant " + p.get("source").get("grantId").asString()
                : "statement " + p.get("source").get("statement").asInt() + " " + p.get("source").get("sid").asString()));
        assertThat(sources).containsExactly("statement 1 Partner", "grant grant-partner");
        assertThat(texts(cross.get("remediation").get("cli"))).contains(
                "aws kms revoke-grant --key-id " + SHARED_KEY + " --grant-id grant-partner --region us-east-1");

        // Access to the S3 key goes through S3 for callers of the key's own account only.
        JsonNode s3 = key(api, S3_KEY);
        JsonNode access = s3.get("access");
        assertThat(access.get("status").asString()).isEqualTo("KNOWN");
        assertThat(access.get("public").asString()).isEqualTo("NO");
        assertThat(access.get("crossAccount").asString()).isEqualTo("NO");
        assertThat(access.get("principals")).hasSize(2);
        JsonNode viaS3 = access.get("principals").get(1);
        assertThat(viaS3.get("audience").get("kind").asString()).isEqualTo("ACCOUNTS");
        assertThat(texts(viaS3.get("audience").get("accounts"))).containsExactly(target.awsAccountId());
        assertThat(viaS3.get("audience").get("via").asString()).isEqualTo("s3.us-east-1.amazonaws.com");
        assertThat(viaS3.get("trusted").asBoolean()).isTrue();
        assertThat(access.get("readAt").isNull()).isFalse();
        assertThat(s3.get("id").asString()).isNotEmpty();
        assertThat(newTenant().api().get("/api/v1/keys/" + s3.get("id").asString()).status())
                .as("another tenant's key").isEqualTo(404);

        // Trusting the partner resolves the cross-account finding and leaves the public one.
        assertThat(putTrusted(api, List.of(PARTNER)).status()).isEqualTo(200);
        scan(target, "us-east-1", UUID.randomUUID());
        assertThat(finding(api, "KEY_CROSS_ACCOUNT_ACCESS", "RESOLVED").get("keyId").asString()).isEqualTo(SHARED_KEY);
        assertThat(finding(api, "KEY_POLICY_PUBLIC", "OPEN").get("keyId").asString()).isEqualTo(PUBLIC_KEY);
        assertThat(key(api, SHARED_KEY).get("access").get("crossAccount").asString()).isEqualTo("NO");
    }

    @Test
    void trustedAccountsAreValidatedAndKeptWhenLeftOut() {
        ApiClient api = newTenant().api();
        assertThat(putTrusted(api, List.of(PARTNER, "444455556666")).status()).isEqualTo(200);

        for (List<String> bad : List.of(List.of("12345"), List.of("arn:aws:iam::210987654321:root"),
                List.of(PARTNER, PARTNER))) {
            ApiClient.Response refused = putTrusted(api, bad);
            assertThat(refused.status()).as(bad.toString()).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.text()).contains("trustedAccounts");
        }
        assertThat(texts(api.get("/api/v1/settings").json().get("trustedAccounts")))
                .containsExactly(PARTNER, "444455556666");

        ScanFixture.disableSchedule(api);
        assertThat(texts(api.get("/api/v1/settings").json().get("trustedAccounts")))
                .as("a PUT without trustedAccounts keeps them").containsExactly(PARTNER, "444455556666");
    }

    @Test
    void aRoleWithoutThePermissionsLeavesAccessUnknownAndTheScanGoesOn() {
        Target target = registerWithOwnAccount(KEYS);
        ApiClient api = target.tenant().api();
        ScanFixture.disableSchedule(api);
        Set<String> old = new HashSet<>(SpokeSim.templateActions());
        old.remove("kms:GetKeyPolicy");
        old.remove("kms:ListGrants");
        sim().setRoleActions(target.awsAccountId(), ROLE, old);

        JsonNode scan = ScanFixture.awaitEnd(api, launch(api, target));

        assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
        List<String> codes = new ArrayList<>();
        scan.get("targets").get(0).get("warnings").forEach(w -> codes.add(w.get("code").asString()
                + " " + w.get("keys").asInt()));
        assertThat(codes).containsExactly("KEY_POLICY_DENIED 3", "GRANTS_DENIED 3");
        JsonNode access = key(api, PUBLIC_KEY).get("access");
        assertThat(access.get("status").asString()).isEqualTo("UNKNOWN");
        assertThat(access.get("public").asString()).isEqualTo("UNKNOWN");
        assertThat(access.get("unknown").get("keyPolicy").asString()).startsWith("AccessDeniedException:")
                .contains("kms:GetKeyPolicy");
        assertThat(api.get("/api/v1/findings?type=KEY_POLICY_PUBLIC&type=KEY_CROSS_ACCOUNT_ACCESS").json()
                .get("items")).as("unknown is never a finding").isEmpty();

        JsonNode verification = api.post("/api/v1/accounts/" + target.accountId() + "/verify", Map.of()).json();
        assertThat(verification.get("status").asString()).isEqualTo("FAILED");
        List<String> denied = new ArrayList<>();
        verification.get("checks").forEach(c -> {
            if (c.get("status").asString().equals("DENIED")) {
                denied.add(c.get("action").asString());
                assertThat(c.get("error").asString()).contains("aws cloudformation update-stack --region us-east-1"
                        + " --stack-name unusd-spoke-role --template-body file://spoke-role.yaml");
            }
        });
        assertThat(denied).containsExactly("kms:GetKeyPolicy", "kms:ListGrants");

        // Once the role is updated the next scan reads them; taking them away again leaves the finding as it was.
        sim().setRoleActions(target.awsAccountId(), ROLE, SpokeSim.templateActions());
        ScanFixture.awaitEnd(api, launch(api, target));
        assertThat(finding(api, "KEY_POLICY_PUBLIC", "OPEN").get("keyId").asString()).isEqualTo(PUBLIC_KEY);
        sim().setRoleActions(target.awsAccountId(), ROLE, old);
        JsonNode again = ScanFixture.awaitEnd(api, launch(api, target));
        assertThat(again.get("undecidedKeys").asInt()).isEqualTo(3);
        assertThat(finding(api, "KEY_POLICY_PUBLIC", "OPEN").get("keyId").asString()).isEqualTo(PUBLIC_KEY);
    }

    @Test
    void anOrganisationTheTenantOnboardedIsTrustedOnceASyncHasReadItsId() {
        String org = "o-a1b2c3d4e5";
        Target target = registerWithOwnAccount("""
                regions:
                  us-east-1:
                    keys:
                      - {id: %s, createdAt: -200d, rotation: {enabled: true}, lastUsage: {at: -1d, operation: Decrypt},
                         keyPolicy: {Version: "2012-10-17", Statement: [%s, {Sid: Org, Effect: Allow, Principal: {AWS: "*"}, Action: "kms:Decrypt", Resource: "*", Condition: {StringEquals: {"aws:PrincipalOrgID": "%s"}}}]}}
                """.formatted(SHARED_KEY, DEFAULT, org));
        ApiClient api = target.tenant().api();
        ScanFixture.disableSchedule(api);

        scan(target, "us-east-1", UUID.randomUUID());
        JsonNode unknownOrg = key(api, SHARED_KEY).get("access");
        assertThat(unknownOrg.get("crossAccount").asString()).as("an organisation not known to be the tenant's")
                .isEqualTo("UNKNOWN");

        JsonNode organization = api.post("/api/v1/organizations",
                Map.of("managementAccountId", target.awsAccountId(), "name", "own")).json();
        // What the organisation's first sync records when it reads the organisation.
        store().sql("update organizations set aws_organization_id = ? where id = ?::uuid")
                .params(org, organization.get("id").asString()).update();
        scan(target, "us-east-1", UUID.randomUUID());

        JsonNode known = key(api, SHARED_KEY).get("access");
        assertThat(known.get("crossAccount").asString()).isEqualTo("NO");
        assertThat(known.get("principals").get(1).get("trusted").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/findings?type=KEY_CROSS_ACCOUNT_ACCESS&status=OPEN").json().get("items")).isEmpty();
    }

    /** The account YAML with ACCOUNT replaced by the account's id, which policies name. */
    private Target registerWithOwnAccount(String yaml) {
        String id = TestSpokeSim.newAwsAccountId();
        StringBuilder scenario = new StringBuilder("accounts:\n  - id: \"" + id + "\"\n");
        yaml.replace("ACCOUNT", id).stripIndent().lines().forEach(line -> scenario.append("    ").append(line)
                .append('\n'));
        Scenario.Account account = sim().addAccount(new ScenarioReader(Instant.now()).parse(scenario.toString())
                .accounts().get(0));
        return registerIn(newTenant(), account, true, "us-east-1");
    }

    private static ApiClient.Response putTrusted(ApiClient api, List<String> trusted) {
        JsonNode settings = api.get("/api/v1/settings").json();
        return api.put("/api/v1/settings", Map.of(
                "exceptionTag", Map.of("key", "unusd", "value", "true"),
                "unusedDays", settings.get("unusedDays").asInt(),
                "maxRotationPeriodDays", settings.get("maxRotationPeriodDays").asInt(),
                "defaultRegions", List.of("us-east-1"),
                "schedule", Map.of("cron", "0 0 6 * * *", "timezone", "UTC", "enabled", false),
                "trustedAccounts", trusted));
    }

    private static String launch(ApiClient api, Target target) {
        ApiClient.Response launched = api.post("/api/v1/scans", Map.of("accountIds", List.of(target.accountId())));
        assertThat(launched.status()).isEqualTo(202);
        return launched.json().get("id").asString();
    }

    private static JsonNode finding(ApiClient api, String type, String status) {
        JsonNode items = api.get("/api/v1/findings?status=" + status + "&type=" + type).json().get("items");
        assertThat(items).as(status + " " + type).hasSize(1);
        return items.get(0);
    }

    private static JsonNode key(ApiClient api, String awsKeyId) {
        JsonNode items = api.get("/api/v1/keys").json().get("items");
        for (JsonNode item : items) {
            if (item.get("keyId").asString().equals(awsKeyId)) {
                return api.get("/api/v1/keys/" + item.get("id").asString()).json();
            }
        }
        throw new AssertionError("no key " + awsKeyId);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asString()));
        return texts;
    }
}
