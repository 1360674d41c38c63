package dev.unusd.hub.scan;

import org.springframework.stereotype.Component;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.account.AccountRef;
import dev.unusd.hub.aws.AwsCallMetrics;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Stand-in for the scan engine until it lands: assumes the spoke role and lists the region's keys, nothing more.
 * Enough for the scheduler's tests to drive real AWS calls against the simulator.
 */
@Component
class ListKeysRegionScanner implements RegionScanner {

    private final StsClient sts;
    private final AccountApi accounts;
    private final AwsCallMetrics metrics;

    ListKeysRegionScanner(StsClient sts, AccountApi accounts, AwsCallMetrics metrics) {
        this.sts = sts;
        this.accounts = accounts;
        this.metrics = metrics;
    }

    @Override
    public TargetResult scan(TargetRef target) {
        // find, not require: require calls find on itself, bypassing the transactional proxy.
        AccountRef account = accounts.find(target.accountId()).orElseThrow();
        Credentials credentials;
        try {
            credentials = sts.assumeRole(r -> r.roleArn(account.roleArn()).externalId(account.externalId())
                    .roleSessionName("unusd-scan")).credentials();
        } catch (AwsServiceException e) {
            return TargetResult.failed("ASSUME_ROLE_DENIED", e.awsErrorDetails().errorMessage());
        }
        try (KmsClient kms = KmsClient.builder().region(Region.of(target.region()))
                .overrideConfiguration(c -> c.addMetricPublisher(metrics))
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))
                .build()) {
            int keys = kms.listKeysPaginator(r -> r.limit(1000)).keys().stream().mapToInt(k -> 1).sum();
            return new TargetResult(TargetStatus.SUCCEEDED, keys, 0, 0, null);
        } catch (AwsServiceException e) {
            if ("UnrecognizedClientException".equals(e.awsErrorDetails().errorCode())) {
                return TargetResult.skipped("REGION_NOT_ENABLED", "The account has not enabled " + target.region());
            }
            return TargetResult.failed("AWS_ERROR", e.awsErrorDetails().errorCode());
        }
    }
}
