package dev.unusd.hub.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.unusd.hub.aws.SpokeVerification.CheckStatus;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.Scenario;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * What an answer says of a permission: the simulator's real answers through the SDK (an operation it does not
 * implement, a region not enabled, a key an operation does not apply to), and emulators' answers it does not give.
 */
class CheckStatusIntegrationTest {

    private static Scenario.Account account;
    private static KmsClient kms;
    private static CloudTrailClient cloudTrail;
    private static StsClient sts;

    @BeforeAll
    static void clients() {
        account = TestSpokeSim.addAccount("""
                regions:
                  eu-west-1:
                    keys:
                      - {spec: RSA_2048, usage: SIGN_VERIFY}
                """);
        // The simulator takes AKIAOWNER<account id> as the account's own administrator.
        StaticCredentialsProvider owner = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAOWNER" + account.id(), "owner-secret"));
        kms = KmsClient.builder().endpointOverride(TestSpokeSim.get().endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(owner).build();
        cloudTrail = CloudTrailClient.builder().endpointOverride(TestSpokeSim.get().endpoint())
                .region(Region.EU_WEST_1).credentialsProvider(owner).build();
        sts = StsClient.builder().endpointOverride(TestSpokeSim.get().endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(owner).build();
    }

    @AfterAll
    static void close() {
        List.of(kms, cloudTrail, sts).forEach(c -> c.close());
    }

    @Test
    void anOperationTheSimulatorDoesNotImplementIsUnsupported() {
        // The simulator answers an X-Amz-Target or Action it does not know as AWS front ends do.
        SdkException kmsAnswer = catchThrowableOfType(SdkException.class,
                () -> kms.listKeyPolicies(r -> r.keyId(rsaKey())));
        SdkException cloudTrailAnswer = catchThrowableOfType(SdkException.class, () -> cloudTrail.describeTrails());
        SdkException stsAnswer = catchThrowableOfType(SdkException.class, () -> sts.getSessionToken());

        assertThat(SpokeFailure.describe(kmsAnswer))
                .isEqualTo("UnknownOperationException: The simulator does not implement ListKeyPolicies");
        assertThat(SpokeVerification.status(kmsAnswer, true)).isEqualTo(CheckStatus.UNSUPPORTED);
        assertThat(SpokeVerification.status(cloudTrailAnswer, false)).isEqualTo(CheckStatus.UNSUPPORTED);
        assertThat(SpokeFailure.code(stsAnswer)).isEqualTo("InvalidAction");
        assertThat(SpokeVerification.status(stsAnswer, false)).isEqualTo(CheckStatus.UNSUPPORTED);
    }

    @Test
    void anOperationThatDoesNotApplyToAnExistingKeyWasAllowed() {
        SdkException onRsaKey = catchThrowableOfType(SdkException.class,
                () -> kms.listKeyRotations(r -> r.keyId(rsaKey())));
        SdkException onAbsentKey = catchThrowableOfType(SdkException.class,
                () -> kms.listKeyRotations(r -> r.keyId("00000000-0000-4000-8000-000000000000")));

        assertThat(SpokeFailure.code(onRsaKey)).isEqualTo("UnsupportedOperationException");
        assertThat(SpokeVerification.status(onRsaKey, true)).isEqualTo(CheckStatus.GRANTED);
        // The same code where no key was named is about the operation: KMS answers NotFound for an absent key.
        assertThat(SpokeVerification.status(onRsaKey, false)).isEqualTo(CheckStatus.UNSUPPORTED);
        assertThat(SpokeFailure.code(onAbsentKey)).isEqualTo("NotFoundException");
        assertThat(SpokeVerification.status(onAbsentKey, false)).isEqualTo(CheckStatus.GRANTED);
    }

    @Test
    void aRegionTheAccountHasNotEnabledIsNeitherGrantedNorDenied() {
        TestSpokeSim.get().setRegionEnabled(account.id(), "eu-central-1", false);
        try (KmsClient central = KmsClient.builder().endpointOverride(TestSpokeSim.get().endpoint())
                .region(Region.EU_CENTRAL_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAOWNER" + account.id(), "owner-secret"))).build()) {
            SdkException answer = catchThrowableOfType(SdkException.class, () -> central.listKeys());

            assertThat(SpokeVerification.status(answer, false)).isEqualTo(CheckStatus.REGION_NOT_ENABLED);
        }
    }

    @Test
    void emulatorsAnswersForOperationsTheyLackAreUnsupported() {
        // LocalStack: 501 InternalFailure, worded two ways over its versions.
        assertThat(status(501, "InternalFailure", "The API action 'GetKeyLastUsage' for service 'kms' is either not "
                + "available in your current license plan or has not yet been emulated by LocalStack."))
                .isEqualTo(CheckStatus.UNSUPPORTED);
        assertThat(status(501, "InternalFailure", "API action 'GetKeyLastUsage' for service 'kms' not yet implemented "
                + "or pro feature")).isEqualTo(CheckStatus.UNSUPPORTED);
        // moto: a 500 whose message says the action is missing.
        assertThat(status(500, "NotImplementedError", "The get_key_last_usage action has not been implemented"))
                .isEqualTo(CheckStatus.UNSUPPORTED);
        // EC2-style code.
        assertThat(status(400, "UnsupportedOperation", "The operation is not supported.")).isEqualTo(CheckStatus.UNSUPPORTED);
    }

    @Test
    void deniedThrottledAndFailedAnswersSayWhatTheyAre() {
        assertThat(status(400, "AccessDeniedException", "User: x is not authorized")).isEqualTo(CheckStatus.DENIED);
        assertThat(status(403, "AccessDenied", "User: x is not authorized")).isEqualTo(CheckStatus.DENIED);
        assertThat(status(500, "KMSInternalException", "An internal error occurred.")).isEqualTo(CheckStatus.ERROR);
        assertThat(status(503, "ServiceUnavailable", "Service unavailable")).isEqualTo(CheckStatus.ERROR);
        assertThat(status(400, "ThrottlingException", "Rate exceeded")).isEqualTo(CheckStatus.ERROR);
        // A 4xx that comes before authorisation proves nothing either way.
        assertThat(status(400, "ValidationException", "1 validation error detected")).isEqualTo(CheckStatus.ERROR);
        assertThat(SpokeVerification.status(SdkClientException.create("Unable to execute HTTP request"), true))
                .isEqualTo(CheckStatus.ERROR);
    }

    private static String rsaKey() {
        return account.region("eu-west-1").keys().stream().filter(k -> k.spec().equals("RSA_2048")).findFirst()
                .orElseThrow().id();
    }

    private static CheckStatus status(int httpStatus, String code, String message) {
        AwsServiceException answer = KmsException.builder().statusCode(httpStatus)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
        return SpokeVerification.status(answer, true);
    }
}
