package dev.unusd.spokesim;

import java.time.Instant;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** Real SDK clients pointed at a simulator, retries off so every error surfaces as the simulator sent it. */
record AwsClients(SpokeSim sim) {

    static final String PROD = "123456789012";
    static final String STAGING = "210987654321";
    static final String ROLE = "UnusdSpokeRole";
    static final String HUB_KEY = "AKIAHUBEXAMPLE000001";

    static Scenario testOrganisation() {
        return new ScenarioReader(Instant.now()).read("test-org");
    }

    static AwsCredentials owner(String accountId) {
        return AwsBasicCredentials.create("AKIAOWNER" + accountId, "any-secret");
    }

    static AwsCredentials hub() {
        return AwsBasicCredentials.create(HUB_KEY, "hub-secret");
    }

    StsClient sts(AwsCredentials credentials) {
        return StsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    KmsClient kms(String region, AwsCredentials credentials) {
        return KmsClient.builder().endpointOverride(sim.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    CloudTrailClient cloudTrail(String region, AwsCredentials credentials) {
        return CloudTrailClient.builder().endpointOverride(sim.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** The spoke role's session credentials, obtained the way the hub obtains them. */
    AwsCredentials spokeRole(String accountId, String externalId) {
        return assume(accountId, ROLE, externalId);
    }

    AwsCredentials assume(String accountId, String roleName, String externalId) {
        try (StsClient sts = sts(hub())) {
            Credentials c = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + accountId + ":role/" + roleName)
                    .roleSessionName("unusd-scan").externalId(externalId)).credentials();
            return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
        }
    }
}
