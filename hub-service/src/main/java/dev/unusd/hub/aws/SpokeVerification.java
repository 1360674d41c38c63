package dev.unusd.hub.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.account.AccountRef;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.kms.model.KeyListEntry;

/**
 * Verifies an account's spoke role: assumes it afresh and exercises every action the hub needs once, in the account's
 * first region. Per-key actions run on the first key ListKeys returns, or on a key id that does not exist when the
 * region has none: NotFoundException is only answered once IAM has allowed the call, so it proves the permission as
 * well. Any answer but an access denial counts as allowed (UnsupportedOperationException on a key that cannot rotate
 * too); the outcome is recorded on the account (CONNECTED or FAILED).
 */
@Service
public class SpokeVerification {

    static final String ASSUME_ROLE = "sts:AssumeRole";
    private static final Set<String> DENIED = Set.of("AccessDeniedException", "AccessDenied",
            "UnauthorizedOperation", "UnrecognizedClientException", "InvalidClientTokenId");
    private static final String ABSENT_KEY = "00000000-0000-4000-8000-000000000000";

    private final AccountApi accounts;
    private final SpokeClients clients;

    SpokeVerification(AccountApi accounts, SpokeClients clients) {
        this.accounts = accounts;
        this.clients = clients;
    }

    public record Check(String action, String region, boolean ok, @Nullable String error) {
    }

    public record Result(Status status, Instant checkedAt, List<Check> checks) {
    }

    public enum Status { CONNECTED, FAILED }

    /** Runs in the caller's tenant context, outside any transaction: the AWS calls take their time. */
    public Result verify(UUID accountId) {
        AccountRef account = accounts.require(accountId);
        String region = account.regions().get(0);
        Instant checkedAt = Instant.now();
        List<Check> checks = new ArrayList<>();
        try (SpokeRegion spoke = clients.connectFresh(account, region)) {
            checks.add(new Check(ASSUME_ROLE, region, true, null));
            List<KeyListEntry> keys = new ArrayList<>();
            checks.add(check(SpokeAction.LIST_KEYS, spoke,
                    () -> keys.addAll(spoke.kms().listKeys(r -> r.limit(1)).keys())));
            String key = keys.isEmpty() ? "arn:aws:kms:" + region + ":" + account.awsAccountId() + ":key/" + ABSENT_KEY
                    : keys.get(0).keyArn();
            checks.add(check(SpokeAction.LIST_ALIASES, spoke, () -> spoke.kms().listAliases(r -> r.limit(1))));
            checks.add(check(SpokeAction.DESCRIBE_KEY, spoke, () -> spoke.kms().describeKey(r -> r.keyId(key))));
            checks.add(check(SpokeAction.GET_KEY_ROTATION_STATUS, spoke,
                    () -> spoke.kms().getKeyRotationStatus(r -> r.keyId(key))));
            checks.add(check(SpokeAction.LIST_RESOURCE_TAGS, spoke,
                    () -> spoke.kms().listResourceTags(r -> r.keyId(key).limit(1))));
            checks.add(check(SpokeAction.LIST_KEY_ROTATIONS, spoke,
                    () -> spoke.kms().listKeyRotations(r -> r.keyId(key).limit(1))));
            checks.add(check(SpokeAction.GET_KEY_LAST_USAGE, spoke,
                    () -> spoke.kms().getKeyLastUsage(r -> r.keyId(key))));
            Instant now = Instant.now();
            checks.add(check(SpokeAction.LOOKUP_EVENTS, spoke, () -> spoke.cloudTrail().lookupEvents(r -> r
                    .lookupAttributes(a -> a.attributeKey(LookupAttributeKey.EVENT_SOURCE)
                            .attributeValue("kms.amazonaws.com"))
                    .startTime(now.minus(Duration.ofMinutes(5))).endTime(now).maxResults(1))));
        } catch (SpokeException e) {
            checks.add(new Check(ASSUME_ROLE, region, false, e.failure().message()));
        }
        boolean connected = checks.stream().allMatch(Check::ok);
        accounts.recordVerification(accountId, connected, checkedAt);
        return new Result(connected ? Status.CONNECTED : Status.FAILED, checkedAt, checks);
    }

    private static Check check(SpokeAction action, SpokeRegion spoke, Runnable call) {
        Supplier<Void> request = () -> {
            call.run();
            return null;
        };
        try {
            spoke.call(action, request);
            return new Check(action.iamAction(), spoke.region(), true, null);
        } catch (AwsServiceException e) {
            String code = SpokeFailure.code(e);
            if (DENIED.contains(code) || e.statusCode() == 403) {
                return new Check(action.iamAction(), spoke.region(), false, "The spoke role may not call "
                        + action.iamAction() + ": " + SpokeFailure.describe(e));
            }
            if (SpokeFailure.isThrottling(e) || e.statusCode() >= 500) {
                return new Check(action.iamAction(), spoke.region(), false, SpokeFailure.describe(e));
            }
            // NotFoundException, UnsupportedOperationException, ...: IAM allowed the call.
            return new Check(action.iamAction(), spoke.region(), true, null);
        } catch (SdkException e) {
            return new Check(action.iamAction(), spoke.region(), false, SpokeFailure.describe(e));
        }
    }
}
