package dev.unusd.hub.kms;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.unusd.hub.aws.SpokeAction;
import dev.unusd.hub.aws.SpokeFailure;
import dev.unusd.hub.aws.SpokeRegion;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.cloudtrail.model.Resource;
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
 * <p>
 * Where tracking began inside the window, the gap before it is the same span for every key of the region. One sweep
 * of the region's KMS events over that span ({@code hub.kms.gap-sweep}) answers every key that needs it, instead of a
 * search per key, when the span holds fewer pages of events than there are such keys. Both are estimated as the sweep
 * goes: its length from the pages read, the keys from the share of the region's keys so far that needed the gap. A
 * sweep that would take more pages than that (and than a tenth of the region's keys) stops, and the keys it did not
 * answer are searched one by one over what it did not read. Keys waiting for the sweep do not hold up the rest of the
 * region.
 */
@Component
public class UsageResolver {

    private static final Logger log = LoggerFactory.getLogger(UsageResolver.class);

    /** KMS operations that use a key (CloudTrail event names); the rest (DescribeKey, ...) are not use. */
    private static final Set<String> CRYPTOGRAPHIC = Set.of("Encrypt", "Decrypt", "Sign", "Verify", "GenerateMac",
            "VerifyMac", "DeriveSharedSecret");
    private static final Set<String> CRYPTOGRAPHIC_PREFIXES = Set.of("ReEncrypt", "GenerateDataKey");
    /** CloudTrail may deliver an event some minutes late: a search resuming from a previous check overlaps it. */
    private static final Duration DELIVERY_LAG = Duration.ofHours(1);
    /** CloudTrail's event history keeps 90 days: a longer window is not its to answer alone. */
    private static final Duration EVENT_HISTORY = Duration.ofDays(90);
    private static final String KMS_EVENT_SOURCE = "kms.amazonaws.com";
    /** A gap sweep may read a page for every this many keys of the region, however few keys need it. */
    private static final int KEYS_PER_SWEEP_PAGE = 10;

    private final JsonMapper json = JsonMapper.builder().build();
    private final KmsProperties properties;

    UsageResolver(KmsProperties properties) {
        this.properties = properties;
    }

    /**
     * What the keys of one region share: counts of usage calls (for the incremental rule's measure), whether CloudTrail
     * refused a search made in GetKeyLastUsage's stead (then it is asked only for what GetKeyLastUsage cannot answer),
     * and the gap sweeps, one per span.
     */
    public static final class RegionUsage {
        private final int keys;
        private final AtomicInteger getKeyLastUsage = new AtomicInteger();
        private final AtomicInteger lookupEvents = new AtomicInteger();
        /** Keys resolved so far (carried over or asked), and among them those that needed the gap searched. */
        private final AtomicInteger resolved = new AtomicInteger();
        private final AtomicInteger needingGap = new AtomicInteger();
        private final AtomicBoolean cloudTrailRefused = new AtomicBoolean();
        private final Map<Search, CompletableFuture<Sweep>> sweeps = new ConcurrentHashMap<>();

        /** {@code keys}: how many keys the region listed, which sizes what a gap sweep may spend. */
        public RegionUsage(int keys) {
            this.keys = keys;
        }

        public int getKeyLastUsage() {
            return getKeyLastUsage.get();
        }

        public int lookupEvents() {
            return lookupEvents.get();
        }

        /**
         * The pages a gap sweep may read: one per key of the region expected to need the gap, each of which would
         * otherwise cost a search; a tenth of the keys at least. The share of the keys resolved so far that needed
         * it is estimated as (needing + 1) / (resolved + 2): with few keys resolved, the sweep goes on rather than
         * stopping on the strength of a handful (stopping wrongly costs a search per key left, going on a page).
         */
        int sweepBudget() {
            double share = Math.min(1.0, (needingGap.get() + 1.0) / (resolved.get() + 2.0));
            int expected = (int) Math.round(share * keys);
            return Math.max(Math.max(1, keys / KEYS_PER_SWEEP_PAGE), expected);
        }

        /** The sweep of {@code span}: run by the first key that needs it, in its thread; later keys share it. */
        private CompletableFuture<Sweep> sweep(Search span, Supplier<Sweep> run) {
            CompletableFuture<Sweep> mine = new CompletableFuture<>();
            CompletableFuture<Sweep> shared = sweeps.putIfAbsent(span, mine);
            if (shared != null) {
                return shared;
            }
            try {
                mine.complete(run.get());
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            }
            return mine;
        }
    }

    /**
     * A sweep's reading of [{@code from}, the span's end]: each key's newest successful use there; a key not in
     * {@code newestUse} had none. {@code from} is the span's start when the sweep read all of it.
     */
    private record Sweep(Instant from, Map<String, Usage.LastUse> newestUse) {
    }

    /**
     * The key's usage now, or once the region's gap sweep has been read when the key waits for it. Per-key denials end
     * up in {@code unknown}; throttling beyond retries and a region that is not enabled propagate (also through the
     * future), since they stop the whole target.
     */
    public CompletableFuture<Usage> resolve(SpokeRegion region, String arn, KeyMetadata metadata,
            @Nullable Usage previous, UsagePolicy policy, Map<String, String> unknown, RegionUsage calls) {
        try {
            return answer(region, arn, metadata, previous, policy, unknown, calls);
        } finally {
            calls.resolved.incrementAndGet();
        }
    }

    private CompletableFuture<Usage> answer(SpokeRegion region, String arn, KeyMetadata metadata,
            @Nullable Usage previous, UsagePolicy policy, Map<String, String> unknown, RegionUsage calls) {
        if (previous != null && policy.stillUsed(previous, metadata)) {
            return done(new Usage(UsageStatus.USED, previous.lastUse(), previous.knownSince(), previous.checkedAt()));
        }
        Instant now = policy.now();
        Instant windowStart = policy.windowStart(metadata.pendingDeletion());
        if (policy.mode() == UsageMode.CLOUDTRAIL_ONLY) {
            return done(fromCloudTrail(region, arn, Search.over(windowStart, now), policy, unknown, calls));
        }
        if (cloudTrailSooner(region, windowStart, policy, calls)) {
            try {
                return done(searchCloudTrail(region, arn, Search.resuming(windowStart, now, previous), policy, calls));
            } catch (AwsServiceException e) {
                if (SpokeFailure.isRegionNotEnabled(e)) {
                    throw e;
                }
                calls.cloudTrailRefused.set(true);
            }
        }
        GetKeyLastUsageResponse answer;
        try {
            calls.getKeyLastUsage.incrementAndGet();
            answer = region.call(SpokeAction.GET_KEY_LAST_USAGE, () -> region.kms().getKeyLastUsage(r -> r.keyId(arn)));
        } catch (AwsServiceException e) {
            SpokeFailure.rethrowIfTargetWide(e);
            // Denied by a key policy or unsupported for this key: CloudTrail is the only witness left.
            unknown.put(KeySnapshot.LAST_USAGE, SpokeFailure.describe(e));
            return done(fromCloudTrail(region, arn, Search.resuming(windowStart, now, previous), policy, unknown,
                    calls));
        }
        KeyLastUsageData last = answer.keyLastUsage();
        if (last != null && last.timestamp() != null) {
            Usage.LastUse use = new Usage.LastUse(last.timestamp(), last.operationAsString(), UsageSource.KMS_LAST_USAGE,
                    last.cloudTrailEventId());
            return done(new Usage(policy.statusOf(use), use, use.at(), now));
        }
        Instant created = answer.keyCreationDate() != null ? answer.keyCreationDate() : metadata.createdAt();
        Instant trackingStart = answer.trackingStartDate();
        if (trackingStart == null || !created.isBefore(trackingStart)) {
            // Never used since it was created.
            return done(new Usage(UsageStatus.UNUSED, null, created, now));
        }
        if (!trackingStart.isAfter(windowStart)) {
            // No use since tracking started, and tracking covers the whole window.
            return done(new Usage(UsageStatus.UNUSED, null, trackingStart, now));
        }
        // No use since tracking started inside the window: only [windowStart, trackingStart) is unknown.
        if (previous != null && covers(previous, windowStart, trackingStart)) {
            Usage.LastUse carried = previous.lastUse() != null && !previous.lastUse().at().isBefore(windowStart)
                    ? previous.lastUse() : null;
            return done(new Usage(carried == null ? UsageStatus.UNUSED : policy.statusOf(carried), carried,
                    previous.knownSince(), now));
        }
        Search gap = Search.over(windowStart, trackingStart);
        calls.needingGap.incrementAndGet();
        if (!properties.gapSweep()) {
            return done(fromCloudTrail(region, arn, gap, policy, unknown, calls));
        }
        return calls.sweep(gap, () -> sweep(region, gap, calls))
                .thenApply(sweep -> fromSweep(region, arn, gap, sweep, policy, unknown, calls));
    }

    private static CompletableFuture<Usage> done(Usage usage) {
        return CompletableFuture.completedFuture(usage);
    }

    /** GetKeyLastUsage's quota is the busier: CloudTrail answers this key if its permit comes first. */
    private boolean cloudTrailSooner(SpokeRegion region, Instant windowStart, UsagePolicy policy, RegionUsage calls) {
        return properties.cloudTrailAssist() && !calls.cloudTrailRefused.get()
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
            Map<String, String> unknown, RegionUsage calls) {
        try {
            return searchCloudTrail(region, arn, search, policy, calls);
        } catch (AwsServiceException e) {
            SpokeFailure.rethrowIfTargetWide(e);
            unknown.put(KeySnapshot.USAGE, "CloudTrail: " + SpokeFailure.describe(e));
            return Usage.unknown(policy.now());
        }
    }

    private Usage searchCloudTrail(SpokeRegion region, String arn, Search search, UsagePolicy policy,
            RegionUsage calls) {
        Usage.LastUse use = newestUse(region, arn, search.from(), search.to(), calls).orElse(search.before());
        if (use == null) {
            return new Usage(UsageStatus.UNUSED, null, search.knownSince(), policy.now());
        }
        return new Usage(policy.statusOf(use), use, search.knownSince(), policy.now());
    }

    /** Newest first, stopping at the first successful cryptographic event; failed calls and reads are not use. */
    private Optional<Usage.LastUse> newestUse(SpokeRegion region, String arn, Instant from, Instant to,
            RegionUsage calls) {
        String token = null;
        do {
            LookupEventsResponse page = lookupEvents(region, LookupAttributeKey.RESOURCE_NAME, arn, from, to, token,
                    calls);
            for (Event event : page.events()) {
                if (isUse(event)) {
                    return Optional.of(lastUse(event));
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return Optional.empty();
    }

    /** One page of the region's CloudTrail events matching one attribute over [from, to], counted. */
    private LookupEventsResponse lookupEvents(SpokeRegion region, LookupAttributeKey key, String value, Instant from,
            Instant to, @Nullable String token, RegionUsage calls) {
        calls.lookupEvents.incrementAndGet();
        return region.call(SpokeAction.LOOKUP_EVENTS, () -> region.cloudTrail().lookupEvents(r -> r
                .lookupAttributes(a -> a.attributeKey(key).attributeValue(value))
                .startTime(from).endTime(to).maxResults(properties.pageSizes().lookupEvents()).nextToken(token)));
    }

    /**
     * Reads the region's KMS events over the span, newest first, keeping each key's newest use. Stops early when the
     * pages read say the whole span would take more than its budget, re-estimated after every page
     * ({@link RegionUsage#sweepBudget()}). A refused page ends it with what it has read: the
     * keys it did not answer are searched one by one over the rest, as without a sweep.
     */
    private Sweep sweep(SpokeRegion region, Search span, RegionUsage calls) {
        Map<String, Usage.LastUse> newest = new HashMap<>();
        Instant reached = span.to();
        String token = null;
        int pages = 0;
        try {
            while (true) {
                pages++;
                LookupEventsResponse page = lookupEvents(region, LookupAttributeKey.EVENT_SOURCE, KMS_EVENT_SOURCE,
                        span.from(), span.to(), token, calls);
                for (Event event : page.events()) {
                    if (event.eventTime() != null && event.eventTime().isBefore(reached)) {
                        reached = event.eventTime();
                    }
                    if (isUse(event)) {
                        for (Resource resource : event.resources()) {
                            if (resource.resourceName() != null) {
                                newest.putIfAbsent(resource.resourceName(), lastUse(event));
                            }
                        }
                    }
                }
                token = page.nextToken();
                if (token == null || token.isEmpty()) {
                    return swept(region, span, pages, span.from(), newest, "complete");
                }
                double read = (double) Duration.between(reached, span.to()).toMillis()
                        / Duration.between(span.from(), span.to()).toMillis();
                int budget = calls.sweepBudget();
                if (pages >= budget || pages > budget * read) {
                    return swept(region, span, pages, reached, newest, "stopped, over its budget of " + budget);
                }
            }
        } catch (AwsServiceException e) {
            SpokeFailure.rethrowIfTargetWide(e);
            return swept(region, span, pages, reached, newest, "refused: " + SpokeFailure.describe(e));
        }
    }

    private static Sweep swept(SpokeRegion region, Search span, int pages, Instant from,
            Map<String, Usage.LastUse> newest, String outcome) {
        log.info("gap sweep {}/{} [{}, {}): {} pages, {}, read back to {}, {} keys with use", region.awsAccountId(),
                region.region(), span.from(), span.to(), pages, outcome, from, newest.size());
        return new Sweep(from, newest);
    }

    /** The key's gap answered by the sweep, or by its own search over what the sweep did not read. */
    private Usage fromSweep(SpokeRegion region, String arn, Search gap, Sweep sweep, UsagePolicy policy,
            Map<String, String> unknown, RegionUsage calls) {
        Usage.LastUse use = sweep.newestUse().get(arn);
        if (use != null) {
            return new Usage(policy.statusOf(use), use, gap.knownSince(), policy.now());
        }
        if (!sweep.from().isAfter(gap.from())) {
            return new Usage(UsageStatus.UNUSED, null, gap.knownSince(), policy.now());
        }
        return fromCloudTrail(region, arn, Search.over(gap.from(), sweep.from()), policy, unknown, calls);
    }

    private boolean isUse(Event event) {
        return isCryptographic(event.eventName()) && event.eventTime() != null && succeeded(event);
    }

    private static Usage.LastUse lastUse(Event event) {
        return new Usage.LastUse(event.eventTime(), event.eventName(), UsageSource.CLOUDTRAIL, event.eventId());
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
