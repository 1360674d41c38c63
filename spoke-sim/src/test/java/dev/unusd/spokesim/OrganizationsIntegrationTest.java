package dev.unusd.spokesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.unusd.spokerole.SpokeRoleTemplate;
import dev.unusd.spokesim.organizations.AwsOrganization;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * AWS Organizations on the wire. Sessions come from the real STS client; the Organizations calls are plain JSON 1.1
 * requests (the Java SDK's organizations module is not among this build's dependencies), and botocore, where the
 * machine has it, reads the same organisation through the API model it ships.
 */
class OrganizationsIntegrationTest {

    static final String MANAGEMENT = "400000000001";
    static final String PAYMENTS = "400000000002";
    static final String PROD_A = "400000000003";
    static final String PROD_B = "400000000004";
    static final String SANDBOX = "400000000005";
    static final String OUTSIDER = "400000000006";
    static final String READER = SpokeRoleTemplate.DEFAULT_ORG_READER_ROLE_NAME;
    static final String EXTERNAL_ID = "org-external-id-0123456789abcdef0123";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static SpokeSim sim;
    static AwsClients aws;
    static String organizationId;

    @BeforeAll
    static void start() {
        StringBuilder yaml = new StringBuilder("accounts:\n");
        for (String id : List.of(MANAGEMENT, PAYMENTS, PROD_A, PROD_B, SANDBOX, OUTSIDER)) {
            yaml.append("  - id: \"").append(id).append("\"\n    name: acct-").append(id.substring(9)).append('\n');
        }
        yaml.append("""
                organizations:
                  - managementAccountId: "400000000001"
                    accounts: ["400000000005"]
                    units:
                      - name: workloads
                        accounts: ["400000000002"]
                        units:
                          - name: prod
                            accounts: ["400000000003", "400000000004"]
                    tags:
                      "400000000003": {team: payments, env: prod}
                """);
        sim = SpokeSim.start(new ScenarioReader(Instant.now()).parse(yaml.toString()));
        aws = new AwsClients(sim);
        organizationId = sim.organizations().get(0).id();
        sim.deployOrgReaderRole(MANAGEMENT, READER, EXTERNAL_ID);
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void aScenarioOrganisationHasItsUnitsMembersAndTags() {
        AwsOrganization organization = sim.organization(organizationId);
        assertThat(organization.id()).matches("o-[a-z0-9]{10}");
        assertThat(organization.rootId()).matches("r-[a-z0-9]{4}");
        assertThat(organization.units()).extracting(AwsOrganization.Unit::name).containsExactly("workloads", "prod");
        assertThat(organization.units()).allSatisfy(u ->
                assertThat(u.id()).matches("ou-" + organization.rootId().substring(2) + "-[a-z0-9]{8}"));
        assertThat(organization.path(PROD_A)).hasSize(3).startsWith(organization.rootId());
        assertThat(organization.find(PROD_A).orElseThrow().tags()).isEqualTo(Map.of("team", "payments", "env", "prod"));
    }

    @Test
    void theReaderRoleListsAccountsByParentInPagesWithStateAndLegacyStatus() {
        AwsCredentials reader = aws.assume(MANAGEMENT, READER, EXTERNAL_ID);
        String prod = unitNamed("prod");
        JsonNode first = call(reader, "ListAccountsForParent", Map.of("ParentId", prod, "MaxResults", 1));
        assertThat(first.get("Accounts")).hasSize(1);
        JsonNode account = first.get("Accounts").get(0);
        assertThat(account.get("Id").asString()).isEqualTo(PROD_A);
        assertThat(account.get("State").asString()).isEqualTo("ACTIVE");
        assertThat(account.get("Status").asString()).isEqualTo("ACTIVE");
        assertThat(account.get("Arn").asString())
                .isEqualTo("arn:aws:organizations::" + MANAGEMENT + ":account/" + organizationId + "/" + PROD_A);
        assertThat(account.get("JoinedTimestamp").isNumber()).isTrue();
        JsonNode second = call(reader, "ListAccountsForParent", Map.of("ParentId", prod, "MaxResults", 1,
                "NextToken", first.get("NextToken").asString()));
        assertThat(second.get("Accounts").get(0).get("Id").asString()).isEqualTo(PROD_B);
        assertThat(second.has("NextToken")).isFalse();
    }

    @Test
    void aTokenFromAnotherParentOrOperationIsInvalidInput() {
        AwsCredentials reader = aws.assume(MANAGEMENT, READER, EXTERNAL_ID);
        String token = call(reader, "ListAccountsForParent", Map.of("ParentId", unitNamed("prod"), "MaxResults", 1))
                .get("NextToken").asString();
        Answer reused = send(reader, "ListAccountsForParent", Map.of("ParentId", unitNamed("workloads"),
                "NextToken", token));
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.body().get("__type").asString()).isEqualTo("InvalidInputException");
        assertThat(reused.body().get("Reason").asString()).isEqualTo("INVALID_NEXT_TOKEN");
        Answer tooMany = send(AwsClients.owner(MANAGEMENT), "ListAccounts", Map.of("MaxResults", 21));
        assertThat(tooMany.body().get("Reason").asString()).isEqualTo("MAX_VALUE_EXCEEDED");
    }

    @Test
    void aMemberAccountMayNotReadTheOrganisationAndAnOutsiderIsInNone() {
        Answer member = send(AwsClients.owner(PAYMENTS), "ListRoots", Map.of());
        assertThat(member.status()).isEqualTo(400);
        assertThat(member.body().get("__type").asString()).isEqualTo("AccessDeniedException");
        assertThat(member.body().get("Message").asString()).isEqualTo("You don't have permissions to access this resource.");
        Answer outsider = send(AwsClients.owner(OUTSIDER), "DescribeOrganization", Map.of());
        assertThat(outsider.body().get("__type").asString()).isEqualTo("AWSOrganizationsNotInUseException");
    }

    @Test
    void theReaderRoleGetsOnlyTheTemplatesActions() {
        AwsCredentials reader = aws.assume(MANAGEMENT, READER, EXTERNAL_ID);
        Answer listAccounts = send(reader, "ListAccounts", Map.of());
        assertThat(listAccounts.status()).isEqualTo(400);
        assertThat(listAccounts.body().get("__type").asString()).isEqualTo("AccessDeniedException");
        assertThat(listAccounts.body().get("Message").asString()).contains("organizations:ListAccounts");
        assertThat(call(reader, "ListRoots", Map.of()).get("Roots").get(0).get("Name").asString()).isEqualTo("Root");
    }

    @Test
    void callingTooFastIsTooManyRequests() {
        AwsCredentials owner = AwsClients.owner(MANAGEMENT);
        sim.setQuota("ListParents", 2);
        try {
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Answer answer = send(owner, "ListParents", Map.of("ChildId", PROD_A));
                codes.add(answer.status() == 200 ? "OK" : answer.body().get("__type").asString());
            }
            assertThat(codes).startsWith("OK", "OK").contains("TooManyRequestsException");
        } finally {
            sim.clearQuotaOverrides();
        }
    }

    @Test
    void theStackSetDeploysToAccountsThatJoinItsUnitsAndRemovesFromThoseThatLeave() {
        String organization = sim.createOrganization(OUTSIDER);
        String unit = sim.createOrganizationalUnit(organization, sim.organization(organization).rootId(), "apps");
        String joining = "400000000099";
        sim.addAccount(new Scenario.Account(joining, "joining", List.of(), List.of(), 0, Map.of()));
        sim.deployStackSet(organization, AwsClients.ROLE, EXTERNAL_ID, Set.of(unit));
        sim.joinOrganization(organization, joining, unit, Map.of("team", "apps"));
        assertThat(spokeRoleExternalId(joining)).isEqualTo(EXTERNAL_ID);
        assertThat(spokeRoleExternalId(OUTSIDER)).as("never the management account").isNull();

        sim.setAccountState(organization, joining, AwsOrganization.State.SUSPENDED);
        assertThat(spokeRoleExternalId(joining)).isNull();
        sim.setAccountState(organization, joining, AwsOrganization.State.ACTIVE);
        assertThat(spokeRoleExternalId(joining)).isEqualTo(EXTERNAL_ID);
        sim.leaveOrganization(organization, joining);
        assertThat(spokeRoleExternalId(joining)).isNull();
    }

    @Test
    void withoutTheLegacyStatusOnlyStateIsSent() {
        sim.setOrganizationsLegacyStatus(false);
        try {
            JsonNode accounts = call(AwsClients.owner(MANAGEMENT), "ListAccountsForParent",
                    Map.of("ParentId", sim.organization(organizationId).rootId()));
            assertThat(accounts.get("Accounts")).allSatisfy(a -> {
                assertThat(a.has("Status")).isFalse();
                assertThat(a.get("State").asString()).isEqualTo("ACTIVE");
            });
        } finally {
            sim.setOrganizationsLegacyStatus(true);
        }
    }

    @Test
    void botocoreReadsTheWholeOrganisation() throws Exception {
        assumeThat(botocoreAvailable()).as("python3 with botocore").isTrue();
        sim.setAccountState(organizationId, PROD_B, AwsOrganization.State.SUSPENDED);
        // ListAccounts and ListParents are beyond the reader role: botocore reads as the management account's owner.
        AwsCredentials owner = AwsClients.owner(MANAGEMENT);
        JsonNode out;
        try {
            out = python(owner.accessKeyId(), owner.secretAccessKey());
        } finally {
            sim.setAccountState(organizationId, PROD_B, AwsOrganization.State.ACTIVE);
        }
        AwsOrganization organization = sim.organization(organizationId);
        assertThat(out.get("organization").get("Id").asString()).isEqualTo(organizationId);
        assertThat(out.get("organization").get("MasterAccountId").asString()).isEqualTo(MANAGEMENT);
        assertThat(out.get("roots").get(0).get("Id").asString()).isEqualTo(organization.rootId());
        assertThat(out.get("units").size()).isEqualTo(2);
        assertThat(out.get("units").get(unitNamed("prod")).get("parent").asString()).isEqualTo(unitNamed("workloads"));
        assertThat(out.get("accounts").size()).isEqualTo(5);
        assertThat(out.get("accounts").get(PROD_B).get("state").asString()).isEqualTo("SUSPENDED");
        assertThat(out.get("accounts").get(PROD_B).get("status").asString()).isEqualTo("SUSPENDED");
        assertThat(out.get("accounts").get(PROD_A).get("parent").asString()).isEqualTo(unitNamed("prod"));
        assertThat(out.get("accounts").get(PROD_A).get("name").asString()).isEqualTo("acct-003");
        assertThat(out.get("listAccounts").size()).isEqualTo(5);
        assertThat(out.get("describeAccount").asString()).isEqualTo(SANDBOX);
        assertThat(out.get("parents").get(PROD_A).get(0).asString()).isEqualTo(unitNamed("prod") + ":ORGANIZATIONAL_UNIT");
        assertThat(out.get("parents").get(SANDBOX).get(0).asString()).isEqualTo(organization.rootId() + ":ROOT");
        assertThat(out.get("tags").get(PROD_A).get("team").asString()).isEqualTo("payments");
        JsonNode errors = out.get("errors");
        assertThat(errors.get("badToken").get("code").asString()).isEqualTo("InvalidInputException");
        assertThat(errors.get("unknownParent").get("code").asString()).isEqualTo("ParentNotFoundException");
        assertThat(errors.get("unknownAccount").get("code").asString()).isEqualTo("AccountNotFoundException");
        assertThat(errors.get("unknownChild").get("code").asString()).isEqualTo("ChildNotFoundException");
    }

    @Test
    void theControlPlaneBuildsAndChangesAnOrganisation() {
        String management = "400000000077";
        String member = "400000000078";
        sim.addAccount(new Scenario.Account(management, "mgmt", List.of(), List.of(), 0, Map.of()));
        sim.addAccount(new Scenario.Account(member, "member", List.of(), List.of(), 0, Map.of()));
        JsonNode created = control("POST", "organizations", Map.of("managementAccountId", management));
        String id = created.get("id").asString();
        String unit = control("POST", "organizations/" + id + "/units", Map.of("parentId", created.get("rootId").asString(),
                "name", "teams")).get("id").asString();
        control("PUT", "organizations/" + id + "/accounts/" + member, Map.of("parentId", unit, "tags", Map.of("env", "dev")));
        control("PUT", "organizations/" + id + "/accounts/" + member + "/state", Map.of("state", "PENDING_CLOSURE"));
        JsonNode organization = control("GET", "organizations/" + id, null);
        assertThat(organization.get("units").get(0).get("name").asString()).isEqualTo("teams");
        assertThat(organization.get("accounts").get(1).get("parentId").asString()).isEqualTo(unit);
        assertThat(organization.get("accounts").get(1).get("state").asString()).isEqualTo("PENDING_CLOSURE");
        assertThat(organization.get("accounts").get(1).get("tags").get("env").asString()).isEqualTo("dev");
        control("DELETE", "organizations/" + id + "/accounts/" + member, null);
        assertThat(sim.organization(id).find(member)).isEmpty();
    }

    @Test
    void aMemberRenamedOverTheControlPlaneIsReadUnderItsNewNameAndKeepsItWhenMoved() {
        String management = "400000000087";
        String member = "400000000088";
        sim.addAccount(new Scenario.Account(management, "mgmt", List.of(), List.of(), 0, Map.of()));
        sim.addAccount(new Scenario.Account(member, "before", List.of(), List.of(), 0, Map.of()));
        String id = sim.createOrganization(management);
        String rootId = sim.organization(id).rootId();
        sim.joinOrganization(id, member, rootId, Map.of("env", "dev"));
        AwsCredentials owner = AwsClients.owner(management);
        assertThat(call(owner, "DescribeAccount", Map.of("AccountId", member)).get("Account").get("Name").asString())
                .isEqualTo("before");

        control("PUT", "organizations/" + id + "/accounts/" + member + "/name", Map.of("name", "after"));
        assertThat(call(owner, "DescribeAccount", Map.of("AccountId", member)).get("Account").get("Name").asString())
                .isEqualTo("after");
        JsonNode listed = call(owner, "ListAccountsForParent", Map.of("ParentId", rootId)).get("Accounts");
        assertThat(listed.get(1).get("Id").asString()).isEqualTo(member);
        assertThat(listed.get(1).get("Name").asString()).isEqualTo("after");
        assertThat(listed.get(1).get("State").asString()).isEqualTo("ACTIVE");

        // A move and retag (the same PUT as a join) keeps the new name.
        String unit = sim.createOrganizationalUnit(id, rootId, "teams");
        control("PUT", "organizations/" + id + "/accounts/" + member,
                Map.of("parentId", unit, "tags", Map.of("env", "qa")));
        AwsOrganization.Member moved = sim.organization(id).find(member).orElseThrow();
        assertThat(moved.name()).isEqualTo("after");
        assertThat(moved.tags()).isEqualTo(Map.of("env", "qa"));
    }

    private static JsonNode control(String method, String path, Map<String, Object> body) {
        HttpRequest.Builder http = HttpRequest.newBuilder(sim.endpoint().resolve("/_sim/" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        try {
            HttpResponse<String> response = HTTP.send(http.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isIn(200, 204);
            return response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String spokeRoleExternalId(String accountId) {
        return sim.scenario().accounts().stream().anyMatch(a -> a.id().equals(accountId))
                ? roleExternalId(accountId) : null;
    }

    private static String roleExternalId(String accountId) {
        try {
            aws.assume(accountId, AwsClients.ROLE, EXTERNAL_ID);
            return EXTERNAL_ID;
        } catch (software.amazon.awssdk.services.sts.model.StsException e) {
            return null;
        }
    }

    private static String unitNamed(String name) {
        return sim.organization(organizationId).units().stream().filter(u -> u.name().equals(name)).findFirst()
                .orElseThrow().id();
    }

    record Answer(int status, JsonNode body) {
    }

    private static JsonNode call(AwsCredentials credentials, String operation, Map<String, Object> request) {
        Answer answer = send(credentials, operation, request);
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        return answer.body();
    }

    /** A JSON 1.1 request as the SDKs send it; the simulator reads the access key from the credential scope. */
    private static Answer send(AwsCredentials credentials, String operation, Map<String, Object> request) {
        HttpRequest.Builder http = HttpRequest.newBuilder(sim.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AWSOrganizationsV20161128." + operation)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId()
                        + "/20261206/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)));
        try {
            HttpResponse<String> response = HTTP.send(http.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean botocoreAvailable() {
        try {
            Process check = new ProcessBuilder("python3", "-c", "import botocore").redirectErrorStream(true).start();
            return check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static JsonNode python(String accessKey, String secretKey) throws Exception {
        Path script = Path.of("src/test/python/organizations_wire.py");
        assertThat(Files.exists(script)).isTrue();
        Process process = new ProcessBuilder("python3", script.toString(), sim.endpoint().toString(), accessKey, secretKey)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return JSON.readTree(output);
    }
}
