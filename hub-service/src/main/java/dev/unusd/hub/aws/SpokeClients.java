package dev.unusd.hub.aws;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.unusd.hub.account.AccountDeactivated;
import dev.unusd.hub.account.AccountRef;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * SDK clients for spoke accounts. Per registered account one assumed-role credentials provider (cached, refreshed in
 * the background before expiry while scans use it, closed when the account is disabled or removed, or after
 * {@link #SESSION_IDLE} without a region in use): AssumeRole once per account and session, whatever the regions. Per region one KMS and one CloudTrail client shared by every account, which take the
 * account's credentials per request ({@link ScopedCredentials}): an organisation of 1,000 accounts in 17 regions needs
 * 34 clients, not 34,000 (each built with a classpath scan for interceptors and kept on the heap). All share one
 * bounded connection pool and one timer for call timeouts.
 */
@Component
public class SpokeClients implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SpokeClients.class);
    /** Refresh this long before the session expires, so no scan call ever waits on STS. */
    private static final Duration PREFETCH = Duration.ofMinutes(5);
    private static final Duration STALE = Duration.ofMinutes(1);
    /**
     * A session no scan has used for this long is closed: its background refresh would otherwise assume the role in
     * the customer's account every hour between scans (an AssumeRole in their CloudTrail each time), on every hub
     * instance that once scanned the account, even after another instance saw the account disabled or removed.
     */
    static final Duration SESSION_IDLE = Duration.ofMinutes(10);

    private final StsClient sts;
    private final AwsProperties properties;
    private final SpokePacing pacing;
    private final AwsCallMetrics metrics;
    private final SdkHttpClient http;
    private final ScheduledThreadPoolExecutor timeouts;
    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Clients> regional = new ConcurrentHashMap<>();

    SpokeClients(StsClient sts, AwsProperties properties, SpokePacing pacing, AwsCallMetrics metrics) {
        this.sts = sts;
        this.properties = properties;
        this.pacing = pacing;
        this.metrics = metrics;
        this.http = ApacheHttpClient.builder()
                .maxConnections(properties.maxConnections())
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(properties.apiCallAttemptTimeout())
                .build();
        // Otherwise every client starts its own timer threads (up to five), and a timeout cancelled by a call that
        // returned stays queued until it would have fired: two minutes of every call's timer tasks on the heap.
        AtomicInteger threads = new AtomicInteger();
        this.timeouts = new ScheduledThreadPoolExecutor(2, r -> {
            Thread thread = new Thread(r, "spoke-timeouts-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.timeouts.setRemoveOnCancelPolicy(true);
        this.timeouts.scheduleWithFixedDelay(() -> closeIdleSessions(SESSION_IDLE), 1, 1, TimeUnit.MINUTES);
    }

    /**
     * The account's region on cached assumed-role credentials, resolved now so that a refused AssumeRole fails here
     * as {@link SpokeException} (ASSUME_ROLE_DENIED) rather than on the first KMS call. Close it when done: the
     * session may then be closed once idle.
     */
    public SpokeRegion connect(AccountRef account, String region) {
        Session session = session(account);
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                session.release();
            }
        };
        AwsCredentials credentials;
        try {
            credentials = session.credentials().resolveCredentials();
            requireAccount(account, credentials.accountId().orElse(null));
        } catch (RuntimeException e) {
            release.run();
            throw e instanceof SpokeException spoke ? spoke : new SpokeException(SpokeFailure.of(e, account.roleArn()), e);
        }
        Clients clients = regional.computeIfAbsent(region, r -> clients(ScopedCredentials.INSTANCE, r, false));
        return new SpokeRegion(account.awsAccountId(), region, clients.kms(), clients.cloudTrail(), pacing,
                properties.throttledAttempts(), release, session.credentials(), metrics);
    }

    /** Closes the sessions no region has used for {@code idle}; the next connect assumes the role afresh. */
    void closeIdleSessions(Duration idle) {
        long now = System.nanoTime();
        for (UUID id : sessions.keySet()) {
            Session[] closed = new Session[1];
            // Atomic with connect's compute on the same account: a session is closed only while nobody holds it.
            sessions.computeIfPresent(id, (key, session) -> {
                if (!session.idleFor(idle, now)) {
                    return session;
                }
                closed[0] = session;
                return null;
            });
            if (closed[0] != null) {
                closed[0].close();
            }
        }
    }

    /** Accounts with an open session (tests). */
    int openSessions() {
        return sessions.size();
    }

    /**
     * Freshly assumed credentials, bypassing the cache: verification must prove that the trust works now. One
     * AssumeRole serves every region; each region's clients are closed with its returned region.
     */
    public List<SpokeRegion> connectFresh(AccountRef account, List<String> regions) {
        AssumeRoleResponse assumed;
        try {
            assumed = sts.assumeRole(r -> r.roleArn(account.roleArn()).externalId(account.externalId())
                    .roleSessionName(sessionName(account)).durationSeconds(900));
        } catch (RuntimeException e) {
            throw new SpokeException(SpokeFailure.of(e, account.roleArn()), e);
        }
        requireAccount(account, assumed.assumedRoleUser() == null ? null
                : accountOf(assumed.assumedRoleUser().arn()));
        Credentials credentials = assumed.credentials();
        AwsCredentialsProvider session = StaticCredentialsProvider.create(AwsSessionCredentials.create(
                credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken()));
        return regions.stream().map(region -> {
            Clients clients = clients(session, region, true);
            return new SpokeRegion(account.awsAccountId(), region, clients.kms(), clients.cloudTrail(), pacing,
                    properties.throttledAttempts(), clients::close, null, null);
        }).toList();
    }

    /**
     * The session must be the registered account's (AssumeRole's AssumedRoleUser): a role ARN mistyped into another
     * account the hub can also reach, or an endpoint answering in another account's name, would otherwise resolve
     * every finding of this one.
     */
    private static void requireAccount(AccountRef account, @Nullable String sessionAccount) {
        if (!account.awsAccountId().equals(sessionAccount)) {
            String message = "AssumeRole " + account.roleArn() + " answered with a session of account "
                    + (sessionAccount == null ? "(none named)" : sessionAccount) + ", not " + account.awsAccountId();
            throw new SpokeException(new SpokeFailure(SpokeFailure.Kind.ACCOUNT_MISMATCH, message),
                    new IllegalStateException(message));
        }
    }

    /** arn:aws:sts::123456789012:assumed-role/NAME/SESSION: the account, or null if it is not such an ARN. */
    static @Nullable String accountOf(@Nullable String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":", 6);
        return parts.length == 6 && parts[4].matches("\\d{12}") ? parts[4] : null;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(AccountDeactivated event) {
        forget(event.accountId());
    }

    /** Drops the account's cached session, so the next connect assumes the role afresh. */
    public void forget(UUID accountId) {
        Session session = sessions.remove(accountId);
        if (session != null) {
            session.close();
        }
    }

    @Override
    public void destroy() {
        sessions.values().forEach(Session::close);
        sessions.clear();
        regional.values().forEach(Clients::close);
        regional.clear();
        http.close();
        timeouts.shutdownNow();
    }

    /** The account's session, held until the region connected on it is closed. */
    private Session session(AccountRef account) {
        Session session = sessions.compute(account.id(), (id, existing) -> {
            Session current = existing;
            if (current != null && !current.matches(account)) {
                current.close();
                current = null;
            }
            if (current == null) {
                current = new Session(account.roleArn(), account.externalId(), credentials(account));
            }
            current.hold();
            return current;
        });
        return Objects.requireNonNull(session);
    }

    private StsAssumeRoleCredentialsProvider credentials(AccountRef account) {
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> r.roleArn(account.roleArn()).externalId(account.externalId())
                        .roleSessionName(sessionName(account))
                        .durationSeconds((int) properties.sessionDuration().toSeconds()))
                .asyncCredentialUpdateEnabled(true)
                .prefetchTime(PREFETCH)
                .staleTime(STALE)
                .build();
    }

    /** Recognisable in the customer's CloudTrail: unusd-hub-<first 8 hex digits of the hub's id of the account>. */
    static String sessionName(AccountRef account) {
        return "unusd-hub-" + account.id().toString().substring(0, 8);
    }

    /**
     * {@code publishMetrics}: the SDK counts the calls (verification, which calls the clients directly); otherwise the
     * scan's {@link SpokeRegion#call} counts them, sparing the SDK's per-call metric collection.
     */
    private Clients clients(AwsCredentialsProvider credentials, String region, boolean publishMetrics) {
        ClientOverrideConfiguration.Builder overrides = ClientOverrideConfiguration.builder()
                .retryStrategy(retryStrategy())
                .apiCallTimeout(properties.apiCallTimeout())
                .apiCallAttemptTimeout(properties.apiCallAttemptTimeout())
                .scheduledExecutorService(timeouts);
        ClientOverrideConfiguration configuration = (publishMetrics ? overrides.addMetricPublisher(metrics) : overrides)
                .build();
        // No endpoint override: the SDK reads AWS_ENDPOINT_URL_KMS / aws.endpointUrlKms itself.
        KmsClient kms = KmsClient.builder().region(Region.of(region)).credentialsProvider(credentials)
                .httpClient(http).overrideConfiguration(configuration).build();
        CloudTrailClient cloudTrail = CloudTrailClient.builder().region(Region.of(region))
                .credentialsProvider(credentials).httpClient(http).overrideConfiguration(configuration).build();
        return new Clients(kms, cloudTrail);
    }

    /**
     * STANDARD retries (exponential back-off with jitter) for transient failures only: 5xx answers, I/O errors and an
     * attempt that timed out (every spoke call is a read, so a repeat is safe; without it one slow answer failed the
     * whole region). Throttling is left to {@link SpokeRegion#call}, which slows the whole operation down instead.
     */
    private RetryStrategy retryStrategy() {
        return DefaultRetryStrategy.standardStrategyBuilder()
                .maxAttempts(properties.maxAttempts())
                .retryOnException(SpokeClients::isTransient)
                .circuitBreakerEnabled(false)
                .useClientDefaults(false)
                .build();
    }

    private static boolean isTransient(Throwable failure) {
        if (failure instanceof SdkServiceException service) {
            // 501 Not Implemented: the endpoint lacks the operation, which no retry changes.
            return service.statusCode() >= 500 && service.statusCode() != 501 && !SpokeFailure.isThrottling(failure);
        }
        return failure instanceof ApiCallAttemptTimeoutException
                || failure instanceof SdkClientException && failure.getCause() instanceof IOException;
    }

    private record Clients(KmsClient kms, CloudTrailClient cloudTrail) {
        void close() {
            kms.close();
            cloudTrail.close();
        }
    }

    /** One account's assumed-role credentials, with the regions connected on them and since when none is. */
    private static final class Session {

        private final String roleArn;
        private final String externalId;
        private final StsAssumeRoleCredentialsProvider credentials;
        private final AtomicInteger held = new AtomicInteger();
        private volatile long idleSince = System.nanoTime();

        Session(String roleArn, String externalId, StsAssumeRoleCredentialsProvider credentials) {
            this.roleArn = roleArn;
            this.externalId = externalId;
            this.credentials = credentials;
        }

        StsAssumeRoleCredentialsProvider credentials() {
            return credentials;
        }

        boolean matches(AccountRef account) {
            return roleArn.equals(account.roleArn()) && externalId.equals(account.externalId());
        }

        void hold() {
            held.incrementAndGet();
        }

        void release() {
            idleSince = System.nanoTime();
            held.decrementAndGet();
        }

        boolean idleFor(Duration idle, long now) {
            return held.get() == 0 && now - idleSince >= idle.toNanos();
        }

        void close() {
            try {
                credentials.close();
            } catch (RuntimeException e) {
                log.debug("closing assumed-role credentials failed", e);
            }
        }
    }
}
