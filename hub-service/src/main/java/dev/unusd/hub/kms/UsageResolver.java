package dev.unusd.hub.kms;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.unusd.hub.aws.SpokeAction;
import dev.unusd.hub.aws.SpokeFailure;
import dev.unusd.hub.aws.SpokeRegion;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.kms.model.GetKeyLastUsageResponse;
import software.amazon.awssdk.services.kms.model.KeyLastUsageData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides whether a key was used within the window. GetKeyLastUsage answers most keys with one call (read as
 * aws-facts.md explains); CloudTrail LookupEvents is asked for what it cannot answer: the key's usage call was
 * denied or is unsupported, or tracking began inside the window and only the span before it is unknown.
 * <p>
 * The two have separate quotas (5/s and 2/s per account and region), and GetKeyLastUsage's alone paces a region.
 * So when CloudTrail's next permit falls due before GetKeyLastUsage's, one CloudTrail search over the window answers
 * the key instead ({@code hub.kms.cloudtrail-assist}): a region's keys are answered at up to 7/s, not 5/s. Both
 * answers hold for the window; CloudTrail's says nothing of use before it. If CloudTrail refuses a search (denied,
 * or throttled beyond retries), that key and the rest of the region go back to GetKeyLastUsage.
 */
@Component
public class UsageResolver {

    /** KMS operations that use a key (CloudTrail event names); the rest (DescribeKey, ...) are not use. */
    private static final Set<String> CRYPTOGRAPHIC = Set.of("Encrypt", "Decrypt", "Sign", "Verify", "GenerateMac",
            "VerifyMac", "DeriveSharedSecret");
    private static final Set<String> CRYPTOGRAPHIC_PREFIXES = Set.of("ReEncrypt", "GenerateDataKey");
    /** CloudTrail may deliver an event some minutes late: a search resuming from a previous check overlaps it. */
    private static final Duration DELIVERY_LAG = Duration.ofHours(1);
    /** CloudTrail's event history keeps 90 days: a longer window is not its to answer alone. */
    private static final Duration EVENT_HISTORY = Duration.ofDays(90);

    private final JsonMapper json = JsonMapper.builder().build();
    private final KmsProperties properties;

    UsageResolver(KmsProperties properties) {
        this.properties = properties;
    }

    /**
     * One region's usage calls: counts for the incremental rule's measure, and whether CloudTrail refused a search
     * made in GetKeyLastUsage's stead (then it is asked only for what GetKeyLastUsage cannot answer).
     */
    public record Calls(AtomicInteger getKeyLastUsage, AtomicInteger lookupEvents, AtomicBoolean cloudTrailRefused) {
        public Calls() {
            this(new AtomicInteger(), new AtomicInteger(), new AtomicBoolean());
        }
    }

    /**
     * The key's usage now. Per-key denials end up in {@code unknown}; throttling beyond retries and a region that is
     * not enabled propagate, since they stop the whole target.
     */
    public Usage resolve(SpokeRegion region, String arn, KeyMetadata metadata, @Nullable Usage previous,
            UsagePolicy policy, Map<String, String> unknown, Calls calls) {
        if (previous != null && policy.stillUsed(previous, metadata)) {
            return new Usage(UsageStatus.USED, previous.lastUse(), previous.knownSince(), previous.checkedAt());
        }
        Instant now = policy.now();
        Instant windowStart = policy.windowStart(metadata.pendingDeletion());
        if (policy.mode() == UsageMode.CLOUDTRAIL_ONLY) {
            return fromCloudTrail(region, arn, Search.over(windowStart, now), policy, unknown, calls);
        }
        if (cloudTrailSooner(region, windowStart, policy, calls)) {
            try {
                return searchCloudTrail(region, arn, Search.resuming(windowStart, now, previous), policy, calls);
            } catch (AwsServiceException e) {
                if (SpokeFailure.isRegionNotEnabled(e)) {
                    throw e;
                }
                calls.cloudTrailRefused().set(true);
            }
        }
        GetKeyLastUsageResponse answer;
        try {
            calls.getKeyLastUsage().incrementAndGet();
            answer = region.call(SpokeAction.GET_KEY_LAST_USAGE, () -> region.kms().getKeyLastUsage(r -> r.keyId(arn)));
        } catch (AwsServiceException e) {
            SpokeFailure.rethrowIfTargetWide(e);
            // Denied by a key policy or unsupported for this key: CloudTrail is the only witness left.
            unknown.put(KeySnapshot.LAST_USAGE, SpokeFailure.describe(e));
            return fromCloudTrail(region, arn, Search.resuming(windowStart, now, previous), policy, unknown, calls);
        }
        KeyLastUsageData last = answer.keyLastUsage();
        if (last != null && last.timestamp() != null) {
            Usage.LastUse use = new Usage.LastUse(last.timestamp(), last.operationAsString(), UsageSource.KMS_LAST_USAGE,
                    last.cloudTrailEventId());
            return new Usage(policy.statusOf(use), use, use.at(), now);
        }
        Instant created = answer.keyCreationDate() != null ? answer.keyCreationDate() : metadata.createdAt();
        Instant trackingStart = answer.trackingStartDate();
        if (trackingStart == null || !created.isBefore(trackingStart)) {
            // Never used since it was created.
            return new Usage(UsageStatus.UNUSED, null, created, now);
        }
        if (!trackingStart.isAfter(windowStart)) {
            // No use since tracking started, and tracking covers the whole window.
            return new Usage(UsageStatus.UNUSED, null, trackingStart, now);
        }
        // No use since tracking started inside the window: only [windowStart, trackingStart) is unknown.
        if (previous != null && covers(previous, windowStart, trackingStart)) {
            Usage.LastUse carried = previous.lastUse() != null && !previous.lastUse().at().isBefore(windowStart)
                    ? previous.lastUse() : null;
            return new Usage(carried == null ? UsageStatus.UNUSED : policy.statusOf(carried), carried,
                    previous.knownSince(), now);
        }
        return fromCloudTrail(region, arn, Search.over(windowStart, trackingStart), policy, unknown, calls);
    }

    /** GetKeyLastUsage's quota is the busier: CloudTrail answers this key if its permit comes first. */
    private boolean cloudTrailSooner(SpokeRegion region, Instant windowStart, UsagePolicy policy, Calls calls) {
        return properties.cloudTrailAssist() && !calls.cloudTrailRefused().get()
                && !windowStart.isBefore(policy.now().minus(EVENT_HISTORY))
                && region.sooner(SpokeAction.LOOKUP_EVENTS, SpokeAction.GET_KEY_LAST_USAGE);
    }

    /**
     * A CloudTrail search over [from, to]: finding nothing there, {@code before} stays the last use and no use is
     * known since {@code knownSince}.
     */
    private record Search(Instant from, Instant to, Usage.@Nullable LastUse before, Instant knownSince) {

        static Search over(Instant from, Instant to) {
            return new Search(from, to, null, from);
        }

        /**
         * The window up to {@code now}: all of it, or, when a previous check already covered the window, only since
         * that check, the previous answer holding if nothing newer is found.
         */
        static Search resuming(Instant windowStart, Instant now, @Nullable Usage previous) {
            if (previous != null && previous.status() != UsageStatus.UNKNOWN && previous.knownSince() != null
                    && previous.checkedAt() != null && !previous.knownSince().isAfter(windowStart)) {
                Instant from = previous.checkedAt().minus(DELIVERY_LAG);
                return new Search(from.isBefore(windowStart) ? windowStart : from, now, previous.lastUse(),
                        previous.knownSince());
            }
            return over(windowStart, now);
        }
    }

    /** A search whose failure leaves the key's usage unknown (target-wide failures propagate). */
    private Usage fromCloudTrail(SpokeRegion region, String arn, Search search, UsagePolicy policy,
            Map<String, String> unknown, Calls calls) {
        try {
            return searchCloudTrail(region, arn, search, policy, calls);
        } catch (AwsServiceException e) {
            SpokeFailure.rethrowIfTargetWide(e);
            unknown.put(KeySnapshot.USAGE, "CloudTrail: " + SpokeFailure.describe(e));
            return Usage.unknown(policy.now());
        }
    }

    private Usage searchCloudTrail(SpokeRegion region, String arn, Search search, UsagePolicy policy, Calls calls) {
        Usage.LastUse use = newestUse(region, arn, search.from(), search.to(), calls).orElse(search.before());
        if (use == null) {
            return new Usage(UsageStatus.UNUSED, null, search.knownSince(), policy.now());
        }
        return new Usage(policy.statusOf(use), use, search.knownSince(), policy.now());
    }

    /** Newest first, stopping at the first successful cryptographic event; failed calls and reads are not use. */
    private Optional<Usage.LastUse> newestUse(SpokeRegion region, String arn, Instant from, Instant to, Calls calls) {
        String token = null;
        do {
            String next = token;
            calls.lookupEvents().incrementAndGet();
            LookupEventsResponse page = region.call(SpokeAction.LOOKUP_EVENTS, () -> region.cloudTrail().lookupEvents(r -> r
                    .lookupAttributes(a -> a.attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(arn))
                    .startTime(from).endTime(to).maxResults(properties.pageSizes().lookupEvents()).nextToken(next)));
            for (Event event : page.events()) {
                if (isCryptographic(event.eventName()) && succeeded(event) && event.eventTime() != null) {
                    return Optional.of(new Usage.LastUse(event.eventTime(), event.eventName(), UsageSource.CLOUDTRAIL,
                            event.eventId()));
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return Optional.empty();
    }

    static boolean isCryptographic(@Nullable String eventName) {
        return eventName != null && (CRYPTOGRAPHIC.contains(eventName)
                || CRYPTOGRAPHIC_PREFIXES.stream().anyMatch(eventName::startsWith));
    }

    private boolean succeeded(Event event) {
        if (event.cloudTrailEvent() == null) {
            return true;
        }
        JsonNode record = json.readTree(event.cloudTrailEvent());
        JsonNode errorCode = record.get("errorCode");
        return errorCode == null || errorCode.isNull() || errorCode.asString().isEmpty();
    }

    /** A previous answer whose no-use span reaches over [from, to). */
    private static boolean covers(Usage previous, Instant from, Instant to) {
        return previous.status() != UsageStatus.UNKNOWN && previous.knownSince() != null && previous.checkedAt() != null
                && !previous.knownSince().isAfter(from) && !previous.checkedAt().isBefore(to);
    }
}
