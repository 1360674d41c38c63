package dev.unusd.spokesim;

import static dev.unusd.spokesim.AwsClients.PROD;
import static dev.unusd.spokesim.AwsClients.ROLE;
import static dev.unusd.spokesim.AwsClients.STAGING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

class StsIntegrationTest {

    static SpokeSim sim;
    static AwsClients aws;

    @BeforeAll
    static void start() {
        sim = SpokeSim.start(AwsClients.testOrganisation());
        aws = new AwsClients(sim);
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void assumeRoleIssuesSessionCredentialsThatIdentifyTheSpokeAccount() {
        try (StsClient sts = aws.sts(AwsClients.hub())) {
            Instant before = Instant.now();
            AssumeRoleResponse response = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + PROD + ":role/" + ROLE)
                    .roleSessionName("scan-1").externalId("ext-123").durationSeconds(900));

            assertThat(response.credentials().accessKeyId()).startsWith("ASIA").hasSize(20);
            assertThat(response.credentials().secretAccessKey()).hasSize(40);
            assertThat(response.credentials().sessionToken()).isNotBlank();
            assertThat(Duration.between(before, response.credentials().expiration()).toSeconds()).isBetween(890L, 900L);
            assertThat(response.assumedRoleUser().arn())
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/UnusdSpokeRole/scan-1");
            assertThat(response.assumedRoleUser().assumedRoleId()).startsWith("AROA").endsWith(":scan-1");
        }
    }

    @Test
    void aSessionAccountFaultNamesAnotherAccountInTheAssumedRoleUser() {
        sim.setSessionAccount(PROD, "999999999999");
        try (StsClient sts = aws.sts(AwsClients.hub())) {
            AssumeRoleResponse response = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + PROD + ":role/" + ROLE)
                    .roleSessionName("scan-2").externalId("ext-123").durationSeconds(900));
            assertThat(response.assumedRoleUser().arn())
                    .isEqualTo("arn:aws:sts::999999999999:assumed-role/UnusdSpokeRole/scan-2");
        } finally {
            sim.setSessionAccount(PROD, null);
        }
        try (StsClient sts = aws.sts(AwsClients.hub())) {
            assertThat(sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + PROD + ":role/" + ROLE)
                    .roleSessionName("scan-3").externalId("ext-123")).assumedRoleUser().arn())
                    .startsWith("arn:aws:sts::123456789012:");
        }
    }

    @Test
    void callerIdentityOfTheHubIsTheConfiguredHubAccount() {
        try (StsClient sts = aws.sts(AwsClients.hub())) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();
            assertThat(identity.account()).isEqualTo("111111111111");
            assertThat(identity.arn()).isEqualTo("arn:aws:iam::111111111111:user/unusd-hub");
        }
    }

    @Test
    void callerIdentityOfAnAssumedRoleSessionAndOfTheOwner() {
        try (StsClient sts = aws.sts(aws.spokeRole(PROD, "ext-123"))) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();
            assertThat(identity.account()).isEqualTo(PROD);
            assertThat(identity.arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/UnusdSpokeRole/unusd-scan");
            assertThat(identity.userId()).endsWith(":unusd-scan");
        }
        try (StsClient sts = aws.sts(AwsClients.owner(PROD))) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::123456789012:user/owner");
        }
    }

    @Test
    void wrongExternalIdMissingRoleUndeployedRoleAndUnknownAccountAreTheSameAccessDenied() {
        assertDenied(PROD, ROLE, "ext-wrong");
        assertDenied(PROD, "NoSuchRole", "ext-123");
        assertDenied(STAGING, ROLE, "anything");
        assertDenied("999999999999", ROLE, "ext-123");
    }

    @Test
    void deployingTheRoleWithTheHubsExternalIdLetsTheHubIn() {
        sim.deployRole(STAGING, "LaterRole", "ext-later");
        AwsCredentials credentials = aws.assume(STAGING, "LaterRole", "ext-later");
        assertThat(credentials.accessKeyId()).startsWith("ASIA");
        sim.deleteRole(STAGING, "LaterRole");
        assertDenied(STAGING, "LaterRole", "ext-later");
    }

    @Test
    void sessionsOfADeletedRoleCanNoLongerCallKms() {
        sim.deployRole(STAGING, "ShortLivedRole", "ext-short");
        sim.setRoleActions(STAGING, "ShortLivedRole", SpokeSim.templateActions());
        AwsCredentials credentials = aws.assume(STAGING, "ShortLivedRole", "ext-short");
        try (KmsClient kms = aws.kms("us-east-1", credentials)) {
            assertThat(kms.listKeys().keys()).hasSize(1);
            sim.deleteRole(STAGING, "ShortLivedRole");
            assertThatThrownBy(kms::listKeys).isInstanceOfSatisfying(KmsException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                assertThat(e.awsErrorDetails().errorMessage()).contains("kms:ListKeys");
            });
        }
    }

    @Test
    void durationBeyondTheRolesMaximumOrBelow900SecondsIsAValidationError() {
        try (StsClient sts = aws.sts(AwsClients.hub())) {
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + PROD + ":role/" + ROLE)
                    .roleSessionName("scan").externalId("ext-123").durationSeconds(7200)))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                        assertThat(e.awsErrorDetails().errorMessage())
                                .isEqualTo("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
                    });
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + PROD + ":role/" + ROLE)
                    .roleSessionName("scan").externalId("ext-123").durationSeconds(600)))
                    .isInstanceOfSatisfying(StsException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        }
    }

    @Test
    void expiredSessionCredentialsGetExpiredTokenException() {
        AwsCredentials credentials = aws.spokeRole(PROD, "ext-123");
        try (KmsClient kms = aws.kms("us-east-1", credentials)) {
            assertThat(kms.listKeys().keys()).isNotEmpty();
            sim.expireSessions();
            assertThatThrownBy(kms::listKeys).isInstanceOfSatisfying(KmsException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException");
                assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("The security token included in the request is expired");
            });
        }
        try (KmsClient kms = aws.kms("us-east-1", aws.spokeRole(PROD, "ext-123"))) {
            assertThat(kms.listKeys().keys()).isNotEmpty();
        }
    }

    private static void assertDenied(String accountId, String roleName, String externalId) {
        String roleArn = "arn:aws:iam::" + accountId + ":role/" + roleName;
        try (StsClient sts = aws.sts(AwsClients.hub())) {
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("scan")
                    .externalId(externalId)))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: "
                                + "arn:aws:iam::111111111111:user/unusd-hub is not authorized to perform: "
                                + "sts:AssumeRole on resource: " + roleArn);
                    });
        }
    }
}
