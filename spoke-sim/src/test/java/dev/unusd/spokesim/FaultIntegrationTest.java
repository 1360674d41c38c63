package dev.unusd.spokesim;

import static dev.unusd.spokesim.AwsClients.PROD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

class FaultIntegrationTest {

    static final String ARN_PREFIX = "arn:aws:kms:us-east-1:123456789012:key/";
    static final String DENYING = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
    static final String UNSUPPORTED = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";
    static final String PLAIN = "22222222-2222-4222-8222-222222222222";

    static SpokeSim sim;
    static AwsClients aws;
    static AwsCredentials spoke;
    static KmsClient kms;

    @BeforeAll
    static void start() {
        sim = SpokeSim.start(AwsClients.testOrganisation());
        sim.setQuotaScale(1000);
        aws = new AwsClients(sim);
        spoke = aws.spokeRole(PROD, "ext-123");
        kms = aws.kms("us-east-1", spoke);
    }

    @AfterAll
    static void stop() {
        kms.close();
        sim.stop();
    }

    @Test
    void aRegionTheAccountHasNotEnabledIsAnUnrecognizedClient() {
        try (KmsClient mumbai = aws.kms("ap-south-1", spoke);
             CloudTrailClient mumbaiTrail = aws.cloudTrail("ap-south-1", spoke)) {
            assertThatThrownBy(mumbai::listKeys).isInstanceOfSatisfying(KmsException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("The security token included in the request is invalid.");
            });
            assertThatThrownBy(() -> mumbaiTrail.lookupEvents(r -> r.maxResults(1)))
                    .isInstanceOfSatisfying(CloudTrailException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));

            sim.setRegionEnabled(PROD, "ap-south-1", true);
            assertThat(mumbai.listKeys().keys()).isEmpty();
            sim.setRegionEnabled(PROD, "us-west-1", false);
        }
        try (KmsClient california = aws.kms("us-west-1", spoke)) {
            assertThatThrownBy(california::listKeys).isInstanceOf(KmsException.class);
        }
    }

    @Test
    void aKeyPolicyCanDenyDescribeKeyAndGetKeyLastUsageForOneKeyOnly() {
        assertError(() -> kms.describeKey(r -> r.keyId(DENYING)), "AccessDeniedException",
                "User: arn:aws:sts::123456789012:assumed-role/UnusdSpokeRole/unusd-scan is not authorized to perform: "
                        + "kms:DescribeKey on resource: " + ARN_PREFIX + DENYING
                        + " with an explicit deny in a resource-based policy");
        assertError(() -> kms.getKeyLastUsage(r -> r.keyId(DENYING)), "AccessDeniedException",
                "User: arn:aws:sts::123456789012:assumed-role/UnusdSpokeRole/unusd-scan is not authorized to perform: "
                        + "kms:GetKeyLastUsage on resource: " + ARN_PREFIX + DENYING
                        + " with an explicit deny in a resource-based policy");
        assertThat(kms.getKeyRotationStatus(r -> r.keyId(DENYING)).keyRotationEnabled()).isFalse();
        assertThat(kms.describeKey(r -> r.keyId(PLAIN)).keyMetadata().keyId()).isEqualTo(PLAIN);

        sim.setKeyFaults(PROD, "us-east-1", PLAIN, new Scenario.KeyFaults(true, false, false, false));
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(PLAIN))).isInstanceOf(KmsException.class);
        sim.setKeyFaults(PROD, "us-east-1", PLAIN, Scenario.KeyFaults.NONE);
        assertThat(kms.describeKey(r -> r.keyId(PLAIN)).keyMetadata().keyId()).isEqualTo(PLAIN);
    }

    @Test
    void getKeyLastUsageCanAnswerWithoutTrackingStartDate() {
        assertThat(kms.getKeyLastUsage(r -> r.keyId(PLAIN)).trackingStartDate()).isNotNull();
        sim.setKeyFaults(PROD, "us-east-1", PLAIN, new Scenario.KeyFaults(false, false, false, false, true));
        try {
            var answer = kms.getKeyLastUsage(r -> r.keyId(PLAIN));
            assertThat(answer.trackingStartDate()).isNull();
            assertThat(answer.keyCreationDate()).isNotNull();
        } finally {
            sim.setKeyFaults(PROD, "us-east-1", PLAIN, Scenario.KeyFaults.NONE);
        }
    }

    @Test
    void getKeyLastUsageCanReportAUseWithoutItsTimestamp() {
        String used = "11111111-1111-4111-8111-111111111111";
        assertThat(kms.getKeyLastUsage(r -> r.keyId(used)).keyLastUsage().timestamp()).isNotNull();
        sim.setKeyFaults(PROD, "us-east-1", used, new Scenario.KeyFaults(false, false, false, false, false, true));
        try {
            var answer = kms.getKeyLastUsage(r -> r.keyId(used));
            assertThat(answer.keyLastUsage()).isNotNull();
            assertThat(answer.keyLastUsage().timestamp()).isNull();
            assertThat(answer.keyLastUsage().operationAsString()).isEqualTo("Decrypt");
            assertThat(answer.trackingStartDate()).isNotNull();
        } finally {
            sim.setKeyFaults(PROD, "us-east-1", used, Scenario.KeyFaults.NONE);
        }
    }

    @Test
    void describeKeyCanAnswerWithoutKeyManager() {
        assertThat(kms.describeKey(r -> r.keyId(PLAIN)).keyMetadata().keyManager()).isNotNull();
        sim.setKeyFaults(PROD, "us-east-1", PLAIN,
                new Scenario.KeyFaults(false, false, false, false, false, false, true));
        try {
            var metadata = kms.describeKey(r -> r.keyId(PLAIN)).keyMetadata();
            assertThat(metadata.keyManager()).isNull();
            assertThat(metadata.keyStateAsString()).isEqualTo("Enabled");
        } finally {
            sim.setKeyFaults(PROD, "us-east-1", PLAIN, Scenario.KeyFaults.NONE);
        }
    }

    @Test
    void aMultiRegionKeyUpdatingRefusesGetKeyRotationStatus() {
        sim.setKeyState(PROD, "us-east-1", PLAIN, Scenario.KeyState.Updating);
        try {
            assertThatThrownBy(() -> kms.getKeyRotationStatus(r -> r.keyId(PLAIN)))
                    .isInstanceOfSatisfying(KmsException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KMSInvalidStateException"));
        } finally {
            sim.setKeyState(PROD, "us-east-1", PLAIN, Scenario.KeyState.Enabled);
        }
        assertThat(kms.getKeyRotationStatus(r -> r.keyId(PLAIN)).keyRotationEnabled()).isNotNull();
    }

    @Test
    void rotationsLagHidesTheLatestRotationFromListKeyRotationsOnly() {
        String rotated = "11111111-1111-4111-8111-111111111111";
        List<RotationsListEntry> before = allKeyMaterial(rotated);
        assertThat(before).hasSize(4);
        String current = kms.describeKey(r -> r.keyId(rotated)).keyMetadata().currentKeyMaterialId();

        sim.setKeyFaults(PROD, "us-east-1", rotated, new Scenario.KeyFaults(false, false, false, true));
        try {
            List<RotationsListEntry> lagging = allKeyMaterial(rotated);
            assertThat(lagging).extracting(RotationsListEntry::keyMaterialId)
                    .containsExactlyElementsOf(before.subList(0, 3).stream().map(RotationsListEntry::keyMaterialId).toList())
                    .doesNotContain(current);
            assertThat(lagging).extracting(RotationsListEntry::keyMaterialStateAsString)
                    .containsExactly("NON_CURRENT", "NON_CURRENT", "CURRENT");
            assertThat(kms.listKeyRotations(r -> r.keyId(rotated)).rotations()).hasSize(2);
            assertThat(kms.describeKey(r -> r.keyId(rotated)).keyMetadata().currentKeyMaterialId()).isEqualTo(current);

            // It is always the latest rotation that lags: after one more, the one hidden so far shows.
            sim.rotateKeyNow(PROD, "us-east-1", rotated);
            List<RotationsListEntry> afterRotation = allKeyMaterial(rotated);
            assertThat(afterRotation).hasSize(4);
            assertThat(afterRotation.get(3).keyMaterialId()).isEqualTo(current);
            assertThat(afterRotation.get(3).keyMaterialStateAsString()).isEqualTo("CURRENT");
            assertThat(kms.describeKey(r -> r.keyId(rotated)).keyMetadata().currentKeyMaterialId()).isNotEqualTo(current);

            // A key that never rotated has nothing to hide.
            sim.setKeyFaults(PROD, "us-east-1", PLAIN, new Scenario.KeyFaults(false, false, false, true));
            assertThat(allKeyMaterial(PLAIN)).singleElement().satisfies(initial -> {
                assertThat(initial.keyMaterialStateAsString()).isEqualTo("CURRENT");
                assertThat(initial.keyMaterialId())
                        .isEqualTo(kms.describeKey(r -> r.keyId(PLAIN)).keyMetadata().currentKeyMaterialId());
            });
        } finally {
            sim.setKeyFaults(PROD, "us-east-1", rotated, Scenario.KeyFaults.NONE);
            sim.setKeyFaults(PROD, "us-east-1", PLAIN, Scenario.KeyFaults.NONE);
        }
        List<RotationsListEntry> cleared = allKeyMaterial(rotated);
        assertThat(cleared).hasSize(5);
        assertThat(cleared.get(4).keyMaterialId())
                .isEqualTo(kms.describeKey(r -> r.keyId(rotated)).keyMetadata().currentKeyMaterialId());
        assertThat(cleared.get(4).keyMaterialStateAsString()).isEqualTo("CURRENT");
    }

    private static List<RotationsListEntry> allKeyMaterial(String keyId) {
        return kms.listKeyRotations(r -> r.keyId(keyId).includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL))
                .rotations();
    }

    @Test
    void getKeyLastUsageCanBeUnsupportedForAKey() {
        assertError(() -> kms.getKeyLastUsage(r -> r.keyId(UNSUPPORTED)), "UnsupportedOperationException",
                "GetKeyLastUsage is not supported for " + ARN_PREFIX + UNSUPPORTED);
    }

    @Test
    void rotationStatusOfKeysThatCannotRotateIsAScenarioChoice() {
        String rsa = "44444444-4444-4444-8444-444444444444";
        assertThatThrownBy(() -> kms.getKeyRotationStatus(r -> r.keyId(rsa))).isInstanceOf(KmsException.class);
        sim.setRotationStatusForUnsupported(Scenario.RotationStatusForUnsupported.FALSE);
        try {
            assertThat(kms.getKeyRotationStatus(r -> r.keyId(rsa)).keyRotationEnabled()).isFalse();
        } finally {
            sim.setRotationStatusForUnsupported(Scenario.RotationStatusForUnsupported.EXCEPTION);
        }
    }

    @Test
    void serverErrorsAre500sWithTheServicesCode() {
        sim.setServerErrorRate("ListAliases", 1.0);
        sim.setServerErrorRate("LookupEvents", 1.0);
        try (CloudTrailClient cloudTrail = aws.cloudTrail("us-east-1", spoke)) {
            assertThatThrownBy(kms::listAliases).isInstanceOfSatisfying(KmsException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(500);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KMSInternalException");
            });
            assertThatThrownBy(() -> cloudTrail.lookupEvents(r -> r.maxResults(1)))
                    .isInstanceOfSatisfying(CloudTrailException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(500);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalFailure");
                    });
        } finally {
            sim.setServerErrorRate("ListAliases", 0);
            sim.setServerErrorRate("LookupEvents", 0);
        }
        assertThat(kms.listAliases().aliases()).isNotEmpty();
    }

    @Test
    void faultsScopedToOneAccountLeaveTheOthersAlone() {
        sim.setServerErrorRate(PROD, "ListAliases", 1.0);
        sim.setThrottled(PROD, "LookupEvents", true);
        try (KmsClient staging = aws.kms("us-east-1", AwsClients.owner(AwsClients.STAGING));
             CloudTrailClient prodTrail = aws.cloudTrail("us-east-1", spoke);
             CloudTrailClient stagingTrail = aws.cloudTrail("us-east-1", AwsClients.owner(AwsClients.STAGING))) {
            assertThatThrownBy(kms::listAliases).isInstanceOfSatisfying(KmsException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(500);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KMSInternalException");
            });
            assertThat(staging.listAliases().aliases()).isEmpty();
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> prodTrail.lookupEvents(r -> r.maxResults(1)))
                        .isInstanceOfSatisfying(CloudTrailException.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(400);
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                        });
            }
            assertThat(stagingTrail.lookupEvents(r -> r.maxResults(1)).events()).isNotNull();
            assertThat(kms.listKeys().keys()).isNotEmpty();
            assertThat(sim.counters().of(PROD, "us-east-1", "LookupEvents").throttled()).isEqualTo(3);

            sim.setServerErrorRate(PROD, "ListAliases", 0);
            sim.setThrottled(PROD, "LookupEvents", false);
            assertThat(kms.listAliases().aliases()).isNotEmpty();
            assertThat(prodTrail.lookupEvents(r -> r.maxResults(1)).events()).hasSize(1);

            sim.setThrottled(PROD, "DescribeKey", true);
            sim.clearServerFaults();
            assertThat(kms.describeKey(r -> r.keyId(PLAIN)).keyMetadata().keyId()).isEqualTo(PLAIN);
        } finally {
            sim.setQuotaScale(1000);
        }
    }

    @Test
    void assumeRoleFaultsBelongToTheAccountOfTheRole() {
        sim.setThrottled(PROD, "AssumeRole", true);
        try {
            assertThatThrownBy(() -> aws.spokeRole(PROD, "ext-123")).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
            });
            assertThat(aws.assume(AwsClients.STAGING, "NarrowRole", "ext-narrow").accessKeyId()).startsWith("ASIA");
        } finally {
            sim.setThrottled(PROD, "AssumeRole", false);
        }
        assertThat(aws.spokeRole(PROD, "ext-123").accessKeyId()).startsWith("ASIA");
    }

    @Test
    void aServerErrorRateFailsThatShareOfCalls() {
        sim.setServerErrorRate("ListKeyRotations", 0.3);
        int failed = 0;
        try {
            for (int i = 0; i < 200; i++) {
                try {
                    kms.listKeyRotations(r -> r.keyId("11111111-1111-4111-8111-111111111111"));
                } catch (KmsException e) {
                    assertThat(e.statusCode()).isEqualTo(500);
                    failed++;
                }
            }
        } finally {
            sim.setServerErrorRate("ListKeyRotations", 0);
        }
        assertThat(failed).isBetween(30, 90);
        assertThat(sim.counters().of(PROD, "us-east-1", "ListKeyRotations").errors("KMSInternalException"))
                .isEqualTo(failed);
    }

    @Test
    void addedLatencyDelaysAnAccountsAnswers() {
        sim.setLatency(PROD, 300);
        try {
            long started = System.nanoTime();
            kms.listKeys();
            assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
        } finally {
            sim.setLatency(PROD, 0);
        }
    }

    @Test
    void removingAnActionFromTheRoleFailsThatCallClearly() {
        Set<String> withoutRotations = new TreeSet<>(SpokeSim.templateActions());
        withoutRotations.remove("kms:ListKeyRotations");
        sim.setRoleActions(PROD, "UnusdSpokeRole", withoutRotations);
        try {
            assertError(() -> kms.listKeyRotations(r -> r.keyId(PLAIN)), "AccessDeniedException",
                    "User: arn:aws:sts::123456789012:assumed-role/UnusdSpokeRole/unusd-scan is not authorized to "
                            + "perform: kms:ListKeyRotations on resource: " + ARN_PREFIX + PLAIN
                            + " because no identity-based policy allows the kms:ListKeyRotations action");
        } finally {
            sim.setRoleActions(PROD, "UnusdSpokeRole", SpokeSim.templateActions());
        }
    }

    @Test
    void redeployingTheRoleWithAnotherExternalIdLocksTheHubOut() {
        sim.deployRole(PROD, "SecondRole", "ext-a");
        aws.assume(PROD, "SecondRole", "ext-a");
        sim.deployRole(PROD, "SecondRole", "ext-b");
        try (StsClient sts = aws.sts(AwsClients.hub())) {
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + PROD + ":role/SecondRole")
                    .roleSessionName("scan").externalId("ext-a")))
                    .isInstanceOfSatisfying(StsException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
        }
    }

    static void assertError(org.junit.jupiter.api.function.Executable call, String code, String message) {
        KmsIntegrationTest.assertError(call, code, message);
    }
}
