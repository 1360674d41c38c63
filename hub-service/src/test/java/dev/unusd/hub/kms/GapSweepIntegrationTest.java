package dev.unusd.hub.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.account.AccountRef;

/**
 * The gap sweep (hub.kms.gap-sweep): where usage tracking began inside the window, one read of the region's KMS
 * events over the gap answers the keys GetKeyLastUsage cannot, with the verdicts one search per key gives. It reads
 * the gap to the end while that takes fewer pages than there are keys needing it; a region whose gap is crowded with
 * events abandons the sweep early and still answers every key. Real SDK clients, real simulator; the CloudTrail
 * assist is off so that every LookupEvents call is the gap's.
 */
class GapSweepIntegrationTest extends RegionCollectionIntegrationTest {

    /** Keys used only before tracking began (30 days ago), one of them with a failed call after its last use. */
    private static final int USED_IN_GAP = 7;
    /** Keys with no use in the window: nothing in CloudTrail, or a use older than the window. */
    private static final int UNUSED = 7;
    /** Keys GetKeyLastUsage answers alone: used since tracking began, or created after it. */
    private static final int TRACKED = 7;

    @Test
    void oneSweepAnswersAQuietGapWithTheVerdictsOfOneSearchPerKey() {
        Collected region = collectBothWays(1);

        assertThat(region.perKey().calls().lookupEvents()).as("one search per key needing the gap")
                .isEqualTo(USED_IN_GAP + UNUSED);
        assertThat(region.swept().calls().lookupEvents()).as("the gap's few events fit one page").isEqualTo(1);
    }

    @Test
    void aGapOfSeveralPagesIsReadToTheEndWhileMoreKeysNeedIt() {
        // About 180 console events in the gap: 4 pages, more than a tenth of the region's 21 keys, fewer than the 14
        // keys that need the gap.
        Collected region = collectBothWays(12);

        assertThat(region.perKey().calls().lookupEvents()).isEqualTo(USED_IN_GAP + UNUSED);
        assertThat(region.swept().calls().lookupEvents()).as("the whole gap, read once").isBetween(3, 5);
    }

    @Test
    void aCrowdedGapIsAbandonedAfterItsBudgetAndEveryKeyIsStillAnswered() {
        // About 1,400 console events in the gap: 28 pages, more than the region has keys; the first page or two say
        // so. Which one depends on how many keys GetKeyLastUsage has answered when a page arrives (the budget is
        // re-estimated from them) and on how far back the page's random events reach.
        Collected region = collectBothWays(100);

        assertThat(region.swept().calls().lookupEvents()).as("two pages more than the searches per key, at most")
                .isBetween(1, region.perKey().calls().lookupEvents() + 2);
    }

    /** One region collected with a search per key and with the sweep, which must agree on every key. */
    private record Collected(RegionSnapshot perKey, RegionSnapshot swept) {
    }

    /** A region with {@code noise} console events per key, collected both ways. */
    private Collected collectBothWays(int noise) {
        AccountRef account = registerRegion(noise);
        RegionSnapshot perKey = collect(account, false);
        RegionSnapshot swept = collect(account, true);
        assertSameVerdicts(swept, perKey);
        return new Collected(perKey, swept);
    }

    private static void assertSameVerdicts(RegionSnapshot actual, RegionSnapshot expected) {
        Map<String, Usage> want = usageByKey(expected);
        Map<String, Usage> got = usageByKey(actual);
        assertThat(got.keySet()).isEqualTo(want.keySet()).hasSize(USED_IN_GAP + UNUSED + TRACKED);
        for (String keyId : want.keySet()) {
            Usage usage = got.get(keyId);
            Usage search = want.get(keyId);
            assertThat(usage.status()).as("usage of " + keyId).isEqualTo(search.status());
            // The two collections ran seconds apart: a window's start moved with them.
            assertThat(usage.knownSince()).as("known since, " + keyId)
                    .isCloseTo(search.knownSince(), within(1, ChronoUnit.MINUTES));
            if (search.lastUse() == null) {
                assertThat(usage.lastUse()).as("last use of " + keyId).isNull();
            } else {
                assertThat(usage.lastUse().at().truncatedTo(ChronoUnit.SECONDS)).as("last use of " + keyId)
                        .isEqualTo(search.lastUse().at().truncatedTo(ChronoUnit.SECONDS));
                assertThat(usage.lastUse().operation()).isEqualTo(search.lastUse().operation());
                assertThat(usage.lastUse().source()).isEqualTo(search.lastUse().source());
                assertThat(usage.lastUse().cloudTrailEventId()).isEqualTo(search.lastUse().cloudTrailEventId());
            }
        }
        assertThat(got.values()).extracting(Usage::status).containsOnly(UsageStatus.USED, UsageStatus.UNUSED);
        assertThat(got.values()).filteredOn(u -> u.lastUse() != null
                && u.lastUse().source() == UsageSource.CLOUDTRAIL).hasSize(USED_IN_GAP);
        actual.keys().forEach(key -> assertThat(key.unknown()).as("unknowns of " + key.keyId()).isEmpty());
    }

    private RegionSnapshot collect(AccountRef account, boolean gapSweep) {
        return collect(account, new KmsProperties(4, false, gapSweep, PAGES));
    }

    /** A region whose tracking began 30 days ago; {@code noise} console events per key over the last 90 days. */
    private AccountRef registerRegion(int noise) {
        StringBuilder yaml = new StringBuilder("""
                disabledRegions: []
                regions:
                  us-east-1:
                    trackingStartDate: -30d
                    keys:
                """);
        int n = 0;
        for (int i = 1; i <= USED_IN_GAP; i++) {
            key(yaml, ++n, "-400d", noise).append("        lastUsage: none\n        cloudTrail:\n")
                    .append("          - {at: -%dd, eventName: %s}\n".formatted(31 + 7 * i, i % 2 == 0 ? "Decrypt"
                            : "GenerateDataKey"));
            if (i == 1) {
                yaml.append("          - {at: -32d, eventName: Decrypt, errorCode: DisabledException}\n");
            }
        }
        for (int i = 1; i <= UNUSED; i++) {
            key(yaml, ++n, "-400d", noise).append("        lastUsage: none\n");
            if (i == 1) {
                yaml.append("        cloudTrail:\n          - {at: -120d, eventName: Encrypt}\n");
            }
        }
        for (int i = 1; i <= TRACKED; i++) {
            boolean createdSinceTracking = i % 3 == 0;
            key(yaml, ++n, createdSinceTracking ? "-10d" : "-400d", noise).append(createdSinceTracking
                    ? "        lastUsage: none\n" : "        lastUsage: {at: -%dd, operation: Decrypt}\n".formatted(i));
        }
        return register(yaml.toString());
    }

    private static StringBuilder key(StringBuilder yaml, int n, String createdAt, int noise) {
        return yaml.append("      - id: %08d-0000-4000-8000-%012d\n".formatted(n, n))
                .append("        createdAt: ").append(createdAt).append('\n')
                .append("        noiseEvents: ").append(noise).append('\n');
    }
}
