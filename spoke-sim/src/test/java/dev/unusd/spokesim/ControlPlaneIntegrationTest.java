package dev.unusd.spokesim;

import static dev.unusd.spokesim.AwsClients.PROD;
import static dev.unusd.spokesim.AwsClients.STAGING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.sts.model.StsException;
import tools.jackson.databind.json.JsonMapper;

/** The same controls as the fixture, over HTTP, for a simulator running as a process. */
class ControlPlaneIntegrationTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static SpokeSim sim;
    static AwsClients aws;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        sim = SpokeSim.start(AwsClients.testOrganisation());
        sim.setQuotaScale(1000);
        aws = new AwsClients(sim);
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void healthAndSummaryDescribeTheLoadedOrganisation() {
        assertThat(json(call("GET", "/_sim/health", null))).isEqualTo(Map.of("status", "UP", "accounts", 2, "keys", 15));
        Map<String, Object> summary = json(call("GET", "/_sim/scenario/summary", null));
        assertThat(summary).containsEntry("hubAccountId", "111111111111").containsEntry("keys", 15);
        @SuppressWarnings("unchecked")
        Map<String, Object> prod = ((List<Map<String, Object>>) summary.get("accounts")).get(0);
        assertThat(prod).containsEntry("id", PROD).containsEntry("name", "prod")
                .containsEntry("disabledRegions", List.of("ap-south-1"));
        assertThat(prod.get("regions").toString()).contains("us-east-1", "customerManaged=11");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOrganisationIsListedInTheSummaryAndItsStackSetDeploysOverHttp() {
        Map<String, Object> created = json(call("POST", "/_sim/organizations", "{\"managementAccountId\":\"" + PROD + "\"}"));
        String id = created.get("id").toString();
        String rootId = created.get("rootId").toString();
        String unit = json(call("POST", "/_sim/organizations/" + id + "/units",
                "{\"parentId\":\"" + rootId + "\",\"name\":\"staging\"}")).get("id").toString();
        assertThat(call("PUT", "/_sim/organizations/" + id + "/accounts/" + STAGING, "{\"parentId\":\"" + unit + "\"}")
                .statusCode()).isEqualTo(204);

        // What a customer knows before onboarding: where the reader role and the StackSet go.
        List<Map<String, Object>> listed = (List<Map<String, Object>>) json(call("GET", "/_sim/scenario/summary", null))
                .get("organizations");
        assertThat(listed).contains(Map.of("id", id, "rootId", rootId, "managementAccountId", PROD));

        assertThat(call("PUT", "/_sim/organizations/" + id + "/stackset",
                "{\"roleName\":\"OrgStackSetRole\",\"externalId\":\"ext-org-0123456789\",\"targets\":[\"" + rootId + "\"]}")
                .statusCode()).isEqualTo(204);
        List<Map<String, Object>> accounts = (List<Map<String, Object>>) json(call("GET", "/_sim/scenario/summary", null))
                .get("accounts");
        Map<String, Object> staging = accounts.stream().filter(a -> a.get("id").equals(STAGING)).findFirst().orElseThrow();
        Map<String, Object> prod = accounts.stream().filter(a -> a.get("id").equals(PROD)).findFirst().orElseThrow();
        assertThat(staging.get("roles").toString()).contains("name=OrgStackSetRole", "deployed=true");
        assertThat(prod.get("roles").toString()).as("never in the management account").doesNotContain("OrgStackSetRole");
    }

    @Test
    void rolesAreDeployedAndDeletedOverHttp() {
        HttpResponse<String> put = call("PUT", "/_sim/accounts/" + STAGING + "/roles/UnusdSpokeRole",
                "{\"externalId\":\"ext-http\"}");
        assertThat(put.statusCode()).isEqualTo(204);
        try (KmsClient kms = aws.kms("us-east-1", aws.spokeRole(STAGING, "ext-http"))) {
            assertThat(kms.listKeys().keys()).hasSize(1);
        }
        assertThat(call("DELETE", "/_sim/accounts/" + STAGING + "/roles/UnusdSpokeRole", null).statusCode())
                .isEqualTo(204);
        assertThatThrownBy(() -> aws.spokeRole(STAGING, "ext-http")).isInstanceOf(StsException.class);
        assertThat(call("PUT", "/_sim/accounts/" + STAGING + "/roles/UnusdSpokeRole", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void faultsAreSetOverHttp() {
        String key = "22222222-2222-4222-8222-222222222222";
        try (KmsClient kms = aws.kms("us-east-1", aws.spokeRole(PROD, "ext-123"))) {
            assertThat(call("POST", "/_sim/faults", "{\"accountId\":\"" + PROD + "\",\"region\":\"us-east-1\","
                    + "\"keyId\":\"" + key + "\",\"denyGetKeyLastUsage\":true}").statusCode()).isEqualTo(204);
            assertThatThrownBy(() -> kms.getKeyLastUsage(r -> r.keyId(key))).isInstanceOfSatisfying(KmsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));

            call("POST", "/_sim/faults", "{\"accountId\":\"" + PROD + "\",\"region\":\"us-east-1\",\"regionEnabled\":false}");
            assertThatThrownBy(kms::listKeys).isInstanceOfSatisfying(KmsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
            call("POST", "/_sim/faults", "{\"accountId\":\"" + PROD + "\",\"region\":\"us-east-1\",\"regionEnabled\":true}");

            call("POST", "/_sim/faults", "{\"operation\":\"ListAliases\",\"quotaPerSecond\":0.001}");
            kms.listAliases();
            assertThatThrownBy(kms::listAliases).isInstanceOfSatisfying(KmsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException"));
        }
        assertThat(call("POST", "/_sim/faults", "{\"regionEnabled\":false}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/_sim/faults", "{\"rotationsLag\":true}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/_sim/faults", "{\"denyDescribKey\":true}").statusCode()).isEqualTo(400);
    }

    @Test
    void rotationsLagIsSetOverHttp() {
        String key = "11111111-1111-4111-8111-111111111111";
        String scope = "{\"accountId\":\"" + PROD + "\",\"region\":\"us-east-1\",\"keyId\":\"" + key + "\",";
        try (KmsClient kms = aws.kms("us-east-1", aws.spokeRole(PROD, "ext-123"))) {
            assertThat(kms.listKeyRotations(r -> r.keyId(key)).rotations()).hasSize(3);
            assertThat(call("POST", "/_sim/faults", scope + "\"rotationsLag\":true}").statusCode()).isEqualTo(204);
            assertThat(kms.listKeyRotations(r -> r.keyId(key)).rotations()).hasSize(2);
            assertThat(call("POST", "/_sim/faults", scope + "\"rotationsLag\":false}").statusCode()).isEqualTo(204);
            assertThat(kms.listKeyRotations(r -> r.keyId(key)).rotations()).hasSize(3);
        }
    }

    @Test
    void faultsOfOneAccountAreSetOverHttp() {
        String scope = "{\"accountId\":\"" + STAGING + "\",\"operation\":\"ListKeys\",";
        try (KmsClient kms = aws.kms("us-east-1", AwsClients.owner(STAGING))) {
            assertThat(call("POST", "/_sim/faults", scope + "\"throttled\":true}").statusCode()).isEqualTo(204);
            assertThatThrownBy(kms::listKeys).isInstanceOfSatisfying(KmsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException"));
            call("POST", "/_sim/faults", scope + "\"throttled\":false}");
            assertThat(call("POST", "/_sim/faults", scope + "\"serverErrorRate\":1.0}").statusCode()).isEqualTo(204);
            assertThatThrownBy(kms::listKeys).isInstanceOfSatisfying(KmsException.class,
                    e -> assertThat(e.statusCode()).isEqualTo(500));
            call("POST", "/_sim/faults", scope + "\"serverErrorRate\":0}");
            assertThat(kms.listKeys().keys()).hasSize(1);
        }
        assertThat(call("POST", "/_sim/faults", "{\"accountId\":\"" + STAGING + "\",\"throttled\":true}").statusCode())
                .isEqualTo(400);
        assertThat(call("POST", "/_sim/faults", "{\"operation\":\"ListKeys\",\"throttled\":true}").statusCode())
                .isEqualTo(400);
        assertThat(call("POST", "/_sim/faults", "{\"accountId\":\"" + STAGING + "\",\"serverErrorRate\":1.0}")
                .statusCode()).isEqualTo(400);
    }

    @Test
    void countersAreReadAndResetOverHttpAndDoNotCountTheControlPlane() {
        call("POST", "/_sim/counters/reset", null);
        try (KmsClient kms = aws.kms("us-east-1", AwsClients.owner(PROD))) {
            kms.listKeys();
            kms.listKeys();
        }
        Map<String, Object> counters = json(call("GET", "/_sim/counters", null));
        assertThat(counters).containsEntry("totalCalls", 2).containsEntry("totalThrottled", 0);
        assertThat(counters.get("entries")).isEqualTo(List.of(Map.of("accountId", PROD, "region", "us-east-1",
                "operation", "ListKeys", "calls", 2, "throttled", 0, "errors", Map.of())));
        assertThat(call("POST", "/_sim/counters/reset", null).statusCode()).isEqualTo(204);
        assertThat(sim.counters().totalCalls()).isZero();
    }

    @Test
    void aKeyIsUsedOverHttp() {
        String key = "33333333-3333-4333-8333-333333333333";
        assertThat(call("POST", "/_sim/keys/use", "{\"accountId\":\"" + PROD + "\",\"region\":\"us-east-1\","
                + "\"keyId\":\"" + key + "\",\"operation\":\"Decrypt\"}").statusCode()).isEqualTo(204);
        assertThat(sim.lastUsed(PROD, "us-east-1", key)).isPresent();
        assertThat(call("GET", "/_sim/nothing-here", null).statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> call(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.endpoint() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readValue(response.body(), Map.class);
    }
}
