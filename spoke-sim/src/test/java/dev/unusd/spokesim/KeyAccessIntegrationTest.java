package dev.unusd.spokesim;

import static dev.unusd.spokesim.AwsClients.PROD;
import static dev.unusd.spokesim.KmsIntegrationTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyResponse;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.ListGrantsResponse;

/** GetKeyPolicy and ListGrants through the real SDK: answers, pages and errors as AWS gives them. */
class KeyAccessIntegrationTest {

    static final String DEFAULT_POLICY_KEY = "11111111-1111-4111-8111-111111111111";
    static final String SHARED = "22222222-2222-4222-8222-222222222222";
    static final String ARN = "arn:aws:kms:us-east-1:" + PROD + ":key/";

    static SpokeSim sim;
    static KmsClient kms;

    @BeforeAll
    static void start() {
        sim = SpokeSim.start(new ScenarioReader(Instant.now()).read("key-access"));
        AwsClients aws = new AwsClients(sim);
        kms = aws.kms("us-east-1", aws.spokeRole(PROD, "ext-123"));
    }

    @AfterAll
    static void stop() {
        kms.close();
        sim.stop();
    }

    @Test
    void aKeyWithoutACustomPolicyHasAwsDefaultPolicy() {
        GetKeyPolicyResponse policy = kms.getKeyPolicy(r -> r.keyId(DEFAULT_POLICY_KEY).policyName("default"));

        assertThat(policy.policyName()).isEqualTo("default");
        assertThat(policy.policy()).contains("\"Sid\" : \"Enable IAM User Permissions\"")
                .contains("\"AWS\" : \"arn:aws:iam::123456789012:root\"").contains("\"Action\" : \"kms:*\"");
    }

    @Test
    void aCustomPolicyIsAnsweredAsTheScenarioWroteIt() {
        String policy = kms.getKeyPolicy(r -> r.keyId(ARN + SHARED)).policy();

        assertThat(policy).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Enable IAM User"
                + " Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},"
                + "\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Sid\":\"Partner\",\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"210987654321\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}");
    }

    @Test
    void getKeyPolicyErrsAsAwsDoes() {
        assertError(() -> kms.getKeyPolicy(r -> r.keyId(SHARED).policyName("other")), "NotFoundException",
                "Policy other not found for " + ARN + SHARED);
        assertError(() -> kms.getKeyPolicy(r -> r.keyId("alias/shared").policyName("default")), "NotFoundException",
                "Invalid keyId alias/shared");
        assertThatThrownBy(() -> kms.getKeyPolicy(r -> r.keyId("99999999-9999-4999-8999-999999999999")
                .policyName("default"))).isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotFoundException"));
    }

    @Test
    void listGrantsPagesWithMarkerAndTruncated() {
        ListGrantsResponse first = kms.listGrants(r -> r.keyId(SHARED).limit(2));
        assertThat(first.truncated()).isTrue();
        assertThat(first.grants()).extracting(GrantListEntry::grantId).containsExactly("grant-one", "grant-two");
        ListGrantsResponse second = kms.listGrants(r -> r.keyId(SHARED).limit(2).marker(first.nextMarker()));
        assertThat(second.truncated()).isFalse();
        assertThat(second.nextMarker()).isNull();
        assertThat(second.grants()).extracting(GrantListEntry::grantId).containsExactly("grant-three");

        GrantListEntry etl = first.grants().get(0);
        assertThat(etl.keyId()).isEqualTo(ARN + SHARED);
        assertThat(etl.name()).isEqualTo("etl");
        assertThat(etl.granteePrincipal()).isEqualTo("arn:aws:iam::210987654321:role/etl");
        assertThat(etl.retiringPrincipal()).isEqualTo("arn:aws:iam::123456789012:role/admin");
        assertThat(etl.issuingAccount()).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(etl.operationsAsStrings()).containsExactly("Decrypt", "DescribeKey");
        assertThat(etl.creationDate()).isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(kms.listGrants(r -> r.keyId(DEFAULT_POLICY_KEY)).grants()).isEmpty();
        assertThat(kms.listGrants(r -> r.keyId(SHARED).grantId("grant-two")).grants())
                .extracting(GrantListEntry::granteePrincipal).containsExactly("rds.us-east-1.amazonaws.com");
    }

    @Test
    void listGrantsRejectsALimitAboveOneHundred() {
        assertError(() -> kms.listGrants(r -> r.keyId(SHARED).limit(101)), "ValidationException",
                "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have"
                        + " value less than or equal to 100");
    }

    @Test
    void aRoleWithoutThePermissionsIsDeniedBoth() {
        AwsClients aws = new AwsClients(sim);
        try (KmsClient old = aws.kms("us-east-1", aws.assume(PROD, "OldSpokeRole", "ext-old"))) {
            for (Runnable call : List.<Runnable>of(() -> old.getKeyPolicy(r -> r.keyId(SHARED).policyName("default")),
                    () -> old.listGrants(r -> r.keyId(SHARED)))) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("OldSpokeRole").contains("is not authorized"
                            + " to perform: kms:");
                });
            }
            assertThat(old.describeKey(r -> r.keyId(SHARED)).keyMetadata().keyId()).isEqualTo(SHARED);
        }
    }
}
