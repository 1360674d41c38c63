package dev.unusd.hub.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.account.AccountRef;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.kms.model.KeyListEntry;

/**
 * Verifies an account's spoke role: assumes it afresh once, then exercises every action the hub needs in each of the
 * account's regions, the regions at once and every call paced as a scan's would be. Per-key actions run on the first
 * key ListKeys returns, or on a key id that does not exist when there is none: NotFoundException is only answered once
 * IAM has allowed the call, so it proves the permission as well. The outcome is recorded on the account.
 */
@Service
public class SpokeVerification {

    static final String ASSUME_ROLE = "sts:AssumeRole";
    private static final Set<String> DENIED = Set.of("AccessDeniedException", "AccessDenied", "UnauthorizedOperation");
    /** KMS answers these only once IAM has allowed the call. */
    private static final Set<String> ANSWERED_AFTER_AUTHORISATION = Set.of("NotFoundException",
            "KMSInvalidStateException", "DisabledException");
    /** KMS's answer for a key an operation does not apply to, e.g. rotation of an asymmetric key. */
    private static final String UNSUPPORTED_FOR_KEY = "UnsupportedOperationException";
    private static final Set<SpokeAction> ON_KEY = EnumSet.of(SpokeAction.DESCRIBE_KEY,
            SpokeAction.GET_KEY_ROTATION_STATUS, SpokeAction.LIST_RESOURCE_TAGS, SpokeAction.LIST_KEY_ROTATIONS,
            SpokeAction.GET_KEY_LAST_USAGE, SpokeAction.GET_KEY_POLICY, SpokeAction.LIST_GRANTS);
    private static final String ABSENT_KEY = "00000000-0000-4000-8000-000000000000";
    /** Each region has quotas of its own; regions share only the connection pool, and eight leave most of it to scans. */
    private static final int REGIONS_AT_ONCE = 8;

    private final AccountApi accounts;
    private final SpokeClients clients;
    private final AwsProperties properties;
    /** The spoke-role template this hub serves, for the command that updates an older role. */
    private final String templateUrl;

    SpokeVerification(AccountApi accounts, SpokeClients clients, AwsProperties properties,
            @Value("${hub.public-url}") String publicUrl) {
        this.templateUrl = publicUrl.replaceAll("/+$", "") + "/api/v1/onboarding/spoke-role.yaml";
        this.accounts = accounts;
        this.clients = clients;
        this.properties = properties;
    }

    /** One permission in one region; {@code ok} is {@code status == GRANTED}, kept for clients that predate status. */
    public record Check(String action, String region, boolean ok, CheckStatus status, @Nullable String error) {

        Check(String action, String region, CheckStatus status, @Nullable String error) {
            this(action, region, status == CheckStatus.GRANTED, status, error);
        }
    }

    public record RegionOutcome(String region, RegionStatus status, @Nullable String error) {
    }

    public record Result(Status status, Instant checkedAt, List<RegionOutcome> regions, List<Check> checks) {
    }

    public enum Status { CONNECTED, FAILED }

    public enum CheckStatus {
        /** AWS answered, or answered an error it gives only after IAM allowed the call. */
        GRANTED,
        /** The role's policy (or a key policy, or an SCP) refused the call. */
        DENIED,
        /** The endpoint does not implement the operation (an emulator, a partition without it). */
        UNSUPPORTED,
        /** A 5xx, a network failure or throttling beyond retries: the permission is not known. */
        ERROR,
        /** The account has not enabled the region; the region's remaining actions are not checked. */
        REGION_NOT_ENABLED
    }

    public enum RegionStatus { CONNECTED, FAILED, REGION_NOT_ENABLED }

    /**
     * Runs in the caller's tenant context, outside any transaction: the AWS calls take their time. CONNECTED when every
     * check of every enabled region is GRANTED and at least one region is enabled; a region not enabled fails the
     * account only when its regions were listed for it, not copied from the tenant's defaults nor "every region".
     */
    public Result verify(UUID accountId) {
        AccountRef account = accounts.require(accountId);
        Instant checkedAt = Instant.now();
        List<SpokeRegion> spokes;
        try {
            spokes = clients.connectFresh(account, account.coveredRegions());
        } catch (SpokeException e) {
            CheckStatus status = e.failure().kind() == SpokeFailure.Kind.ASSUME_ROLE_DENIED ? CheckStatus.DENIED
                    : CheckStatus.ERROR;
            List<RegionOutcome> regions = account.coveredRegions().stream().map(r -> new RegionOutcome(r, RegionStatus.FAILED,
                    "Not checked: the hub could not assume the spoke role")).toList();
            return record(account, checkedAt, regions,
                    List.of(new Check(ASSUME_ROLE, properties.region(), status, e.failure().message())));
        }
        List<Check> checks = new ArrayList<>();
        checks.add(new Check(ASSUME_ROLE, properties.region(), CheckStatus.GRANTED, null));
        List<RegionOutcome> regions = new ArrayList<>();
        for (List<Check> regionChecks : checkRegions(account, spokes)) {
            checks.addAll(regionChecks);
            regions.add(outcome(regionChecks));
        }
        return record(account, checkedAt, regions, checks);
    }

    private Result record(AccountRef account, Instant checkedAt, List<RegionOutcome> regions, List<Check> checks) {
        boolean connected = regions.stream().anyMatch(r -> r.status() == RegionStatus.CONNECTED)
                && regions.stream().allMatch(r -> r.status() == RegionStatus.CONNECTED
                        || r.status() == RegionStatus.REGION_NOT_ENABLED
                                && (account.regionsFromDefaults() || account.everyRegion()));
        accounts.recordVerification(account.id(), connected, checkedAt);
        return new Result(connected ? Status.CONNECTED : Status.FAILED, checkedAt, regions, checks);
    }

    /** Each region's checks, in the account's order of regions; the spokes are closed once all have answered. */
    private List<List<Check>> checkRegions(AccountRef account, List<SpokeRegion> spokes) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(spokes.size(), REGIONS_AT_ONCE),
                Thread.ofVirtual().name("spoke-verification-", 1).factory());
        try {
            List<Future<List<Check>>> answers = spokes.stream()
                    .map(spoke -> pool.submit(() -> checkRegion(account, spoke, templateUrl))).toList();
            List<List<Check>> checks = new ArrayList<>();
            for (Future<List<Check>> answer : answers) {
                checks.add(answer.get());
            }
            return checks;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("verification interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("verification of a region failed", e.getCause());
        } finally {
            pool.shutdownNow();
            spokes.forEach(SpokeRegion::close);
        }
    }

    private static List<Check> checkRegion(AccountRef account, SpokeRegion spoke, String templateUrl) {
        List<Check> checks = new ArrayList<>();
        List<KeyListEntry> keys = new ArrayList<>();
        checks.add(check(SpokeAction.LIST_KEYS, spoke, templateUrl, false,
                () -> keys.addAll(spoke.kms().listKeys(r -> r.limit(1)).keys())));
        if (checks.get(0).status() == CheckStatus.REGION_NOT_ENABLED) {
            return checks;
        }
        boolean existingKey = !keys.isEmpty();
        String key = existingKey ? keys.get(0).keyArn()
                : "arn:aws:kms:" + spoke.region() + ":" + account.awsAccountId() + ":key/" + ABSENT_KEY;
        Instant now = Instant.now();
        Map<SpokeAction, Runnable> calls = new EnumMap<>(SpokeAction.class);
        calls.put(SpokeAction.LIST_ALIASES, () -> spoke.kms().listAliases(r -> r.limit(1)));
        calls.put(SpokeAction.DESCRIBE_KEY, () -> spoke.kms().describeKey(r -> r.keyId(key)));
        calls.put(SpokeAction.GET_KEY_ROTATION_STATUS, () -> spoke.kms().getKeyRotationStatus(r -> r.keyId(key)));
        calls.put(SpokeAction.LIST_RESOURCE_TAGS, () -> spoke.kms().listResourceTags(r -> r.keyId(key).limit(1)));
        calls.put(SpokeAction.LIST_KEY_ROTATIONS, () -> spoke.kms().listKeyRotations(r -> r.keyId(key).limit(1)));
        calls.put(SpokeAction.GET_KEY_LAST_USAGE, () -> spoke.kms().getKeyLastUsage(r -> r.keyId(key)));
        calls.put(SpokeAction.GET_KEY_POLICY, () -> spoke.kms().getKeyPolicy(r -> r.keyId(key).policyName("default")));
        calls.put(SpokeAction.LIST_GRANTS, () -> spoke.kms().listGrants(r -> r.keyId(key).limit(1)));
        calls.put(SpokeAction.LOOKUP_EVENTS, () -> spoke.cloudTrail().lookupEvents(r -> r
                .lookupAttributes(a -> a.attributeKey(LookupAttributeKey.EVENT_SOURCE)
                        .attributeValue("kms.amazonaws.com"))
                .startTime(now.minus(Duration.ofMinutes(5))).endTime(now).maxResults(1)));
        for (Map.Entry<SpokeAction, Runnable> call : calls.entrySet()) {
            Check check = check(call.getKey(), spoke, templateUrl, existingKey && ON_KEY.contains(call.getKey()), call.getValue());
            checks.add(check);
            if (check.status() == CheckStatus.REGION_NOT_ENABLED) {
                break;
            }
        }
        return checks;
    }

    private static Check check(SpokeAction action, SpokeRegion spoke, String templateUrl, boolean onExistingKey,
            Runnable call) {
        try {
            spoke.call(action, () -> {
                call.run();
                return null;
            });
            return new Check(action.iamAction(), spoke.region(), CheckStatus.GRANTED, null);
        } catch (SdkException e) {
            CheckStatus status = status(e, onExistingKey);
            return new Check(action.iamAction(), spoke.region(), status, error(status, action, spoke.region(), templateUrl, e));
        }
    }

    /** What an answer says of the permission; {@code onExistingKey}: the call named a key that exists. */
    static CheckStatus status(SdkException failure, boolean onExistingKey) {
        if (!(failure instanceof AwsServiceException aws)) {
            return CheckStatus.ERROR;
        }
        String code = SpokeFailure.code(aws);
        if (SpokeFailure.isRegionNotEnabled(aws)) {
            return CheckStatus.REGION_NOT_ENABLED;
        }
        if (SpokeFailure.isThrottling(aws)) {
            return CheckStatus.ERROR;
        }
        if (DENIED.contains(code) || aws.statusCode() == 403) {
            return CheckStatus.DENIED;
        }
        if (SpokeFailure.isUnknownOperation(aws)) {
            return CheckStatus.UNSUPPORTED;
        }
        if (code.equals(UNSUPPORTED_FOR_KEY)) {
            // About the key only when there was one to be about: for an absent key KMS answers NotFoundException.
            return onExistingKey ? CheckStatus.GRANTED : CheckStatus.UNSUPPORTED;
        }
        return ANSWERED_AFTER_AUTHORISATION.contains(code) && aws.statusCode() < 500 ? CheckStatus.GRANTED
                : CheckStatus.ERROR;
    }

    private static @Nullable String error(CheckStatus status, SpokeAction action, String region, String templateUrl,
            SdkException e) {
        return switch (status) {
            case GRANTED -> null;
            case DENIED -> "The spoke role may not call " + action.iamAction() + ": " + SpokeFailure.describe(e)
                    + ". The current template grants it: " + updateStack(region, templateUrl);
            case UNSUPPORTED -> "The endpoint does not implement " + action.iamAction() + ": "
                    + SpokeFailure.describe(e);
            case REGION_NOT_ENABLED -> "The account has not enabled " + region + " (" + SpokeFailure.code(e) + ")";
            case ERROR -> SpokeFailure.isThrottling(e) ? "AWS kept throttling " + action.iamAction()
                    + " after the hub slowed down: " + SpokeFailure.describe(e) : SpokeFailure.describe(e);
        };
    }

    /**
     * Brings a role deployed from an older template up to date (the stack name onboarding gives); a StackSet's stack is
     * updated the same way with spoke-stackset.yaml. A key policy that denies the action for one key is fixed there.
     */
    static String updateStack(String region, String templateUrl) {
        return "curl -fsS -o spoke-role.yaml " + templateUrl + " && aws cloudformation update-stack"
                + " --region " + region + " --stack-name unusd-spoke-role --template-body file://spoke-role.yaml"
                + " --parameters ParameterKey=HubPrincipal,UsePreviousValue=true"
                + " ParameterKey=ExternalId,UsePreviousValue=true ParameterKey=RoleName,UsePreviousValue=true"
                + " --capabilities CAPABILITY_NAMED_IAM";
    }

    private static RegionOutcome outcome(List<Check> checks) {
        String region = checks.get(0).region();
        Check last = checks.get(checks.size() - 1);
        if (last.status() == CheckStatus.REGION_NOT_ENABLED) {
            return new RegionOutcome(region, RegionStatus.REGION_NOT_ENABLED, last.error());
        }
        String notGranted = checks.stream().filter(c -> !c.ok())
                .map(c -> c.action() + " (" + c.status() + ")").collect(Collectors.joining(", "));
        return notGranted.isEmpty() ? new RegionOutcome(region, RegionStatus.CONNECTED, null)
                : new RegionOutcome(region, RegionStatus.FAILED, "Not granted: " + notGranted);
    }
}
