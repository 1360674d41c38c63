package dev.unusd.hub.aws;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * One spoke account's region as the engine sees it: SDK clients on the spoke role's credentials, and {@link #call}
 * which paces every request at the hub's limit for that operation.
 */
public final class SpokeRegion implements AutoCloseable {

    private final String awsAccountId;
    private final String region;
    private final KmsClient kms;
    private final CloudTrailClient cloudTrail;
    private final SpokePacing pacing;
    private final int throttledAttempts;
    private final Runnable onClose;
    /** Bound around each request for clients shared by all accounts ({@link ScopedCredentials}); null: the clients' own. */
    private final @Nullable AwsCredentialsProvider account;
    private final Consumer<SpokeAction> answered;
    /** Counts each call; null when the clients publish their own metrics to it. */
    private final @Nullable AwsCallMetrics metrics;

    SpokeRegion(String awsAccountId, String region, KmsClient kms, CloudTrailClient cloudTrail, SpokePacing pacing,
            int throttledAttempts, Runnable onClose, @Nullable AwsCredentialsProvider account,
            @Nullable AwsCallMetrics metrics) {
        this(awsAccountId, region, kms, cloudTrail, pacing, throttledAttempts, onClose, account, action -> { }, metrics);
    }

    private SpokeRegion(String awsAccountId, String region, KmsClient kms, CloudTrailClient cloudTrail,
            SpokePacing pacing, int throttledAttempts, Runnable onClose, @Nullable AwsCredentialsProvider account,
            Consumer<SpokeAction> answered, @Nullable AwsCallMetrics metrics) {
        this.awsAccountId = awsAccountId;
        this.region = region;
        this.kms = kms;
        this.cloudTrail = cloudTrail;
        this.pacing = pacing;
        this.throttledAttempts = throttledAttempts;
        this.onClose = onClose;
        this.account = account;
        this.answered = answered;
        this.metrics = metrics;
    }

    /** The same region, telling {@code answered} of each request AWS answered (fault injection watches with it). */
    public SpokeRegion onAnswer(Consumer<SpokeAction> answered) {
        return new SpokeRegion(awsAccountId, region, kms, cloudTrail, pacing, throttledAttempts, onClose, account,
                answered, metrics);
    }

    public String awsAccountId() {
        return awsAccountId;
    }

    public String region() {
        return region;
    }

    public KmsClient kms() {
        return kms;
    }

    public CloudTrailClient cloudTrail() {
        return cloudTrail;
    }

    /**
     * Makes one request at the pace the hub allows itself, once one of the instance's connections is free
     * ({@link SpokePacing#onConnection}). A ThrottlingException slows the whole (account, region,
     * operation) down and the request is tried again after the next permit; the SDK itself retries only transient
     * failures (5xx, I/O), so throttling never burns SDK retries. Gives up with the throttling exception after
     * {@code hub.aws.throttled-attempts} attempts. The first call of an operation goes alone ({@link AdaptiveRate}).
     * Every request on this region's clients must be made inside {@code request}: that is where the account's
     * credentials are bound.
     */
    public <T> T call(SpokeAction action, Supplier<T> request) {
        AdaptiveRate rate = pacing.rate(awsAccountId, region, action);
        for (int attempt = 1; ; attempt++) {
            rate.acquire();
            T answer;
            try {
                answer = pacing.onConnection(() -> account == null ? request.get()
                        : ScopedValue.where(ScopedCredentials.ACCOUNT, account).call(request::get));
            } catch (RuntimeException e) {
                counted(action, e);
                if (!(e instanceof AwsServiceException) || !SpokeFailure.isThrottling(e) || attempt >= throttledAttempts) {
                    rate.answered();
                    throw e;
                }
                rate.throttled();
                rate.answered();
                continue;
            }
            try {
                counted(action, null);
                rate.succeeded();
                answered.accept(action);
                return answer;
            } finally {
                rate.answered();
            }
        }
    }

    private void counted(SpokeAction action, @Nullable RuntimeException failure) {
        if (metrics != null) {
            metrics.called(action, failure);
        }
    }

    /**
     * Whether {@code other}'s next permit falls due strictly before {@code preferred}'s: asked now, {@code other}
     * would be made sooner. A look, not a reservation; two threads looking at once may both pick the same one.
     */
    public boolean sooner(SpokeAction other, SpokeAction preferred) {
        long now = System.nanoTime();
        return pacing.rate(awsAccountId, region, other).dueAt(now)
                - pacing.rate(awsAccountId, region, preferred).dueAt(now) < 0;
    }

    @Override
    public void close() {
        onClose.run();
    }
}
