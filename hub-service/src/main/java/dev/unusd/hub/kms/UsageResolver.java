package dev.unusd.hub.kms;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

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
import software.amazon.awssdk.services.kms.model.KeyLastUsageTrackingOperation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides whether a key was used within the window. What is known of a key's use is the newest use ever found and
 * the spans of time searched ({@link Usage}); a scan starts from what earlier scans stored, asks AWS only about the
 * spans of the window not yet searched, and adds every answer to what it knows, so a narrower search never forgets a
 * use found before and a verdict never rests on a span nobody searched.
 * <p>
 * GetKeyLastUsage answers most keys with one call (read as aws-facts.md explains): it vouches for the time since
 * tracking began. CloudTrail LookupEvents is asked for what it cannot answer: the key's usage call was denied or is
 * unsupported, or tracking began inside the window.
 * <p>
 * The two have separate quotas (5/s and 2/s per account and region), and GetKeyLastUsage's alone paces a region.
 * So when CloudTrail's next permit falls due before GetKeyLastUsage's, CloudTrail searches the key's spans instead
 * ({@code hub.kms.cloudtrail-assist}): a region's keys are answered at up to 7/s, not 5/s. If CloudTrail refuses a
 * search (denied, or throttled beyond retries), that key and the rest of the region go back to GetKeyLastUsage.
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

    /**
     * KMS operations that use a key (CloudTrail event names): those GetKeyLastUsage tracks, taken from the SDK's model
     * so that both paths count the same uses as KMS adds operations (Encapsulate and Decapsulate came with ML-KEM);
     * the rest (DescribeKey, ...) are not use.
     */
    private static final Set<String> CRYPTOGRAPHIC = KeyLastUsageTrackingOperation.knownValues().stream()
            .map(KeyLastUsageTrackingOperation::toString).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> CRYPTOGRAPHIC_PREFIXES = Set.of("ReEncrypt", "GenerateDataKey");
    /** What KMS answers a call on a key that is disabled or pending deletion (or otherwise not usable). */
    private static final Set<String> REFUSED_FOR_STATE = Set.of("DisabledException", "KMSInvalidStateException");
    /**
     * CloudTrail may deliver an event minutes late and GetKeyLastUsage's records lag about an hour: a stored answer
     * vouches only for what lies this far before its check, twice AWS's hour, so a late use is always searched again.
     */
    static final Duration DELIVERY_LAG = Duration.ofHours(2);
    /** CloudTrail's event history keeps 90 days: a longer window is not its to answer alone. */
    private static final Duration EVENT_HISTORY = Duration.ofDays(90);
    private static final String KMS_EVENT_SOURCE = "kms.amazonaws.com";
    /** Spans searched longer ago than this are forgotten: no window reaches that far, and the stored list stays short. */
    private static final Duration RETAINED = Duration.ofDays(400);
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
        private final Map<UsageSpans.Span, CompletableFuture<Sweep>> sweeps = new ConcurrentHashMap<>();
        private final Map<UsagePath, AtomicInteger> paths = new ConcurrentHashMap<>();

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

        /** How many keys took each path. */
        public Map<UsagePath, Integer> paths() {
            Map<UsagePath, Integer> counts = new EnumMap<>(UsagePath.class);
            paths.forEach((path, count) -> counts.put(path, count.get()));
            return counts;
        }

        void took(UsagePath path) {
            paths.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
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
        private CompletableFuture<Sweep> sweep(UsageSpans.Span span, Supplier<Sweep> run) {
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
            if (previous != null && policy.stillUsed(previous, metadata)) {
                calls.took(UsagePath.SKIPPED);
                return done(policy.judge(previous.lastUse(), previous.searched(), previous.checkedAt(), metadata));
            }
            return new KeySearch(region, arn, metadata, previous, policy, unknown, calls).answer();
        } finally {
            calls.resolved.incrementAndGet();
        }
    }

    private static CompletableFuture<Usage> done(Usage usage) {
        return CompletableFuture.completedFuture(usage);
    }

    /**
     * One key's search for use: it starts from what earlier scans found, asks AWS only about the spans of the window
     * not yet searched (newest first, up to the last use found), and adds each answer to what it knows.
     */
    private final class KeySearch {
        private final SpokeRegion region;
        private final String arn;
        private final KeyMetadata metadata;
        private final UsagePolicy policy;
        private final Map<String, String> unknown;
        private final RegionUsage calls;
        private final @Nullable Usage previous;
        private Usage.@Nullable LastUse lastUse;
        private UsageSpans searched;
        private boolean asked;
        private boolean cloudTrailSearched;

        KeySearch(SpokeRegion region, String arn, KeyMetadata metadata, @Nullable Usage previous, UsagePolicy policy,
                Map<String, String> unknown, RegionUsage calls) {
            this.region = region;
            this.arn = arn;
            this.metadata = metadata;
            this.policy = policy;
            this.unknown = unknown;
            this.calls = calls;
            this.previous = previous;
            this.lastUse = previous == null ? null : previous.lastUse();
            // An answer vouches for its last hours only once late events and usage records have arrived.
            this.searched = previous == null || previous.checkedAt() == null ? UsageSpans.NONE
                    : previous.searched().until(previous.checkedAt().minus(DELIVERY_LAG));
        }

        CompletableFuture<Usage> answer() {
            if (!searched.isEmpty() && !gaps().equals(UsageSpans.NONE.gaps(windowFrom(), policy.now()))) {
                calls.took(UsagePath.STORED_SPANS);
            }
            if (policy.mode() == UsageMode.CLOUDTRAIL_ONLY) {
                searchCloudTrail();
                return done(verdict());
            }
            if (cloudTrailSooner()) {
                try {
                    searchCloudTrailOrThrow();
                    calls.took(UsagePath.CLOUDTRAIL_ASSIST);
                    return done(verdict());
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
                answer = region.call(SpokeAction.GET_KEY_LAST_USAGE,
                        () -> region.kms().getKeyLastUsage(r -> r.keyId(arn)));
            } catch (AwsServiceException e) {
                SpokeFailure.rethrowIfTargetWide(e);
                // Denied by a key policy or unsupported for this key: CloudTrail is the only witness left.
                unknown.put(KeySnapshot.LAST_USAGE, SpokeFailure.describe(e));
                searchCloudTrail();
                return done(verdict());
            }
            KeyLastUsageData reported = answer.keyLastUsage();
            if (reported != null && reported.timestamp() == null) {
                // A use without its time (the field is optional): it may lie inside the window, so the answer
                // vouches for no span at all, and "no use since tracking began" would be false.
                unknown.put(KeySnapshot.LAST_USAGE, "GetKeyLastUsage reported a use ("
                        + reported.operationAsString() + ") without its time");
                searchCloudTrail();
                return done(verdict());
            }
            Instant trackingStart = lastUsageAnswer(answer);
            calls.took(UsagePath.LAST_USAGE);
            List<UsageSpans.Span> gaps = gaps();
            if (gaps.isEmpty()) {
                return done(verdict());
            }
            calls.needingGap.incrementAndGet();
            if (trackingStart == null) {
                searchCloudTrail();
                return done(verdict());
            }
            // Tracking began inside the window: the span before it is the same for every key of the region.
            UsageSpans.Span gap = new UsageSpans.Span(policy.windowStart(metadata.pendingDeletion()), trackingStart);
            if (!properties.gapSweep() || !within(gaps, gap)) {
                searchCloudTrail();
                return done(verdict());
            }
            return calls.sweep(gap, () -> sweep(region, gap, calls)).thenApply(sweep -> {
                calls.took(UsagePath.GAP_SWEEP);
                found(new UsageSpans.Span(sweep.from(), gap.to()), sweep.newestUse().get(arn));
                searchCloudTrail();
                return verdict();
            });
        }

        /**
         * GetKeyLastUsage vouches for the time since tracking began (or the key's whole life); its start. An answer
         * without a tracking start (the field is optional) says nothing of the time before the use it reports, and
         * with no use reported nothing at all: null, and CloudTrail must answer for the window.
         */
        private @Nullable Instant lastUsageAnswer(GetKeyLastUsageResponse answer) {
            asked = true;
            KeyLastUsageData last = answer.keyLastUsage();
            Usage.LastUse use = last == null || last.timestamp() == null ? null
                    : new Usage.LastUse(last.timestamp(), last.operationAsString(), UsageSource.KMS_LAST_USAGE,
                            last.cloudTrailEventId());
            Instant trackingStart = answer.trackingStartDate();
            if (trackingStart == null) {
                found(new UsageSpans.Span(use == null || use.at().isAfter(policy.now()) ? policy.now() : use.at(),
                        policy.now()), use);
                return null;
            }
            Instant created = answer.keyCreationDate() != null ? answer.keyCreationDate() : metadata.createdAt();
            Instant from = !created.isBefore(trackingStart) ? created : trackingStart;
            found(new UsageSpans.Span(from.isAfter(policy.now()) ? policy.now() : from, policy.now()), use);
            return from;
        }

        /**
         * The spans of the window still to search, newest first: after the last use found (anything before it cannot
         * change the verdict) and after the key was created.
         */
        private List<UsageSpans.Span> gaps() {
            return searched.gaps(windowFrom(), policy.now());
        }

        private Instant windowFrom() {
            Instant from = policy.windowStart(metadata.pendingDeletion());
            if (metadata.createdAt().isAfter(from)) {
                from = metadata.createdAt();
            }
            if (lastUse != null && lastUse.at().isAfter(from)) {
                from = lastUse.at();
            }
            return from;
        }

        private boolean cloudTrailSooner() {
            return properties.cloudTrailAssist() && !calls.cloudTrailRefused.get()
                    && !policy.windowStart(metadata.pendingDeletion()).isBefore(policy.now().minus(EVENT_HISTORY))
                    && region.sooner(SpokeAction.LOOKUP_EVENTS, SpokeAction.GET_KEY_LAST_USAGE);
        }

        /** CloudTrail searches of the spans left, newest first; a refusal leaves the rest unsearched, and says why. */
        private void searchCloudTrail() {
            try {
                searchCloudTrailOrThrow();
            } catch (AwsServiceException e) {
                SpokeFailure.rethrowIfTargetWide(e);
                unknown.put(KeySnapshot.USAGE, "CloudTrail: " + SpokeFailure.describe(e));
            }
        }

        private void searchCloudTrailOrThrow() {
            Instant history = policy.now().minus(EVENT_HISTORY);
            for (List<UsageSpans.Span> gaps = gaps(); !gaps.isEmpty(); gaps = gaps()) {
                UsageSpans.Span gap = gaps.get(0);
                if (!gap.to().isAfter(history)) {
                    return;
                }
                Instant from = gap.from().isBefore(history) ? history : gap.from();
                Usage.LastUse use = newestUse(region, arn, from, gap.to(), calls).orElse(null);
                if (!cloudTrailSearched) {
                    calls.took(UsagePath.CLOUDTRAIL_SEARCH);
                    cloudTrailSearched = true;
                }
                asked = true;
                found(new UsageSpans.Span(from, gap.to()), use);
                if (!from.equals(gap.from())) {
                    return;
                }
            }
        }

        private void found(UsageSpans.Span span, Usage.@Nullable LastUse use) {
            searched = searched.with(span.from(), span.to());
            if (use != null && (lastUse == null || use.at().isAfter(lastUse.at()))) {
                lastUse = use;
            }
        }

        private Usage verdict() {
            Usage usage = asked
                    ? policy.judge(lastUse, searched.since(policy.now().minus(RETAINED)), policy.now(), metadata)
                    : previous != null ? policy.judge(previous.lastUse(), previous.searched(), previous.checkedAt(),
                            metadata)
                    : policy.judge(null, UsageSpans.NONE, null, metadata);
            if (usage.status() != UsageStatus.UNKNOWN) {
                unknown.remove(KeySnapshot.USAGE);
            } else {
                calls.took(UsagePath.UNKNOWN);
            }
            if (usage.status() == UsageStatus.UNKNOWN && !unknown.containsKey(KeySnapshot.USAGE)) {
                Instant history = policy.now().minus(EVENT_HISTORY);
                List<UsageSpans.Span> gaps = gaps();
                unknown.put(KeySnapshot.USAGE, !gaps.isEmpty() && !gaps.get(gaps.size() - 1).from().isAfter(history)
                        ? "no use known since " + gaps.get(gaps.size() - 1).from() + ", which is beyond CloudTrail's"
                                + " 90-day event history and before GetKeyLastUsage's tracking"
                        : "no usage source answered for " + gaps);
            }
            return usage;
        }
    }

    private static boolean within(List<UsageSpans.Span> gaps, UsageSpans.Span span) {
        return gaps.stream().allMatch(g -> !g.from().isBefore(span.from()) && !g.to().isAfter(span.to()));
    }

    /** Newest first, stopping at the first successful cryptographic event; failed calls and reads are not use. */
    private Optional<Usage.LastUse> newestUse(SpokeRegion region, String arn, Instant from, Instant to,
            RegionUsage calls) {
        return newest(region, arn, from, to, calls, event -> isUse(event) ? lastUse(event) : null);
    }

    /**
     * The newest cryptographic call on the key over [{@code from}, {@code to}] that KMS refused because of the key's
     * state: a consumer that still depends on a key that is disabled or pending deletion. Empty when CloudTrail shows
     * none; a refusal by CloudTrail propagates (the caller says what it leaves unknown).
     */
    public Optional<RefusedUse> newestRefusedUse(SpokeRegion region, String arn, Instant from, Instant to,
            RegionUsage calls) {
        return newest(region, arn, from, to, calls, event -> {
            String code = isCryptographic(event.eventName()) && event.eventTime() != null ? errorCode(event) : null;
            return code != null && REFUSED_FOR_STATE.contains(code)
                    ? new RefusedUse(event.eventTime(), event.eventName(), code, event.eventId()) : null;
        });
    }

    /** The key's events over [from, to], newest first, page by page until {@code pick} makes something of one. */
    private <T> Optional<T> newest(SpokeRegion region, String arn, Instant from, Instant to, RegionUsage calls,
            Function<Event, @Nullable T> pick) {
        String token = null;
        do {
            LookupEventsResponse page = lookupEvents(region, LookupAttributeKey.RESOURCE_NAME, arn, from, to, token,
                    calls);
            for (Event event : page.events()) {
                T picked = pick.apply(event);
                if (picked != null) {
                    return Optional.of(picked);
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
    private Sweep sweep(SpokeRegion region, UsageSpans.Span span, RegionUsage calls) {
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
                    return swept(region, span, pages, vouched(reached, span), newest,
                            "stopped, over its budget of " + budget);
                }
            }
        } catch (AwsServiceException e) {
            SpokeFailure.rethrowIfTargetWide(e);
            return swept(region, span, pages, vouched(reached, span), newest, "refused: " + SpokeFailure.describe(e));
        }
    }

    /** Events of the oldest second read may go on in the next page: a partial sweep vouches only for what is after it. */
    private static Instant vouched(Instant reached, UsageSpans.Span span) {
        Instant after = reached.plusSeconds(1);
        return after.isAfter(span.to()) ? span.to() : after;
    }

    private static Sweep swept(SpokeRegion region, UsageSpans.Span span, int pages, Instant from,
            Map<String, Usage.LastUse> newest, String outcome) {
        log.info("gap sweep {}/{} [{}, {}): {} pages, {}, read back to {}, {} keys with use", region.awsAccountId(),
                region.region(), span.from(), span.to(), pages, outcome, from, newest.size());
        return new Sweep(from, newest);
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
        return errorCode(event) == null;
    }

    /** The event's errorCode: null when the call succeeded (or the record does not say). */
    private @Nullable String errorCode(Event event) {
        if (event.cloudTrailEvent() == null) {
            return null;
        }
        JsonNode record = json.readTree(event.cloudTrailEvent());
        JsonNode errorCode = record.get("errorCode");
        return errorCode == null || errorCode.isNull() || errorCode.asString().isEmpty() ? null
                : errorCode.asString();
    }
}
