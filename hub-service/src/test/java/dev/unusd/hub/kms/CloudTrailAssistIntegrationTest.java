package dev.unusd.hub.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.account.AccountRef;

/**
 * CloudTrail answering keys in GetKeyLastUsage's stead (hub.kms.cloudtrail-assist, off in the rest of the suite so
 * that tests can tell which source answered): the verdicts GetKeyLastUsage alone gives, both quotas at work, and a
 * region whose CloudTrail refuses falls back to GetKeyLastUsage without losing a key. Real SDK clients, real simulator.
 */
class CloudTrailAssistIntegrationTest extends RegionCollectionIntegrationTest {

    private static final int USED = 14;
    private static final int UNUSED = 7;

    @Test
    void cloudTrailAnswersSomeKeysWithTheVerdictsGetKeyLastUsageGives() {
        AccountRef account = registerRegion(false);

        RegionSnapshot alone = collect(account, false);
        RegionSnapshot assisted = collect(account, true);

        assertThat(alone.calls().getKeyLastUsage()).isEqualTo(USED + UNUSED);
        assertThat(alone.calls().lookupEvents()).isZero();
        assertThat(assisted.calls().lookupEvents()).as("CloudTrail took keys while GetKeyLastUsage was busy")
                .isPositive();
        assertThat(assisted.calls().getKeyLastUsage() + assisted.calls().lookupEvents())
                .as("one usage call per customer key, from either quota").isEqualTo(USED + UNUSED);
        Map<String, Usage> expected = usageByKey(alone);
        Map<String, Usage> actual = usageByKey(assisted);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        long answeredByCloudTrail = 0;
        for (String keyId : expected.keySet()) {
            Usage byKms = expected.get(keyId);
            Usage usage = actual.get(keyId);
            assertThat(usage.status()).as("usage of " + keyId).isEqualTo(byKms.status());
            if (byKms.status() == UsageStatus.USED) {
                assertThat(usage.lastUse().at().truncatedTo(ChronoUnit.SECONDS)).as("last use of " + keyId)
                        .isEqualTo(byKms.lastUse().at().truncatedTo(ChronoUnit.SECONDS));
                if (usage.lastUse().source() == UsageSource.CLOUDTRAIL) {
                    answeredByCloudTrail++;
                    assertThat(usage.lastUse().cloudTrailEventId()).isNotNull();
                }
            } else if (usage.knownSince().isAfter(byKms.knownSince())) {
                answeredByCloudTrail++;
                // CloudTrail vouches for its window only: the 90 days before the scan, from their first millisecond.
                assertThat(Duration.between(usage.knownSince(), usage.checkedAt()))
                        .isEqualTo(Duration.ofDays(90).minusMillis(1));
            }
        }
        assertThat(answeredByCloudTrail).isEqualTo(assisted.calls().lookupEvents());
        assisted.keys().forEach(key -> assertThat(key.unknown()).as("unknowns of " + key.keyId()).isEmpty());
    }

    @Test
    void aRegionWhoseCloudTrailRefusesIsAnsweredByGetKeyLastUsage() {
        AccountRef account = registerRegion(true);

        RegionSnapshot assisted = collect(account, true);

        assertThat(assisted.calls().lookupEvents()).as("refused searches, at most one per key thread")
                .isBetween(1, 4);
        assertThat(assisted.calls().getKeyLastUsage()).isEqualTo(USED + UNUSED);
        assertThat(usageByKey(assisted).values()).extracting(Usage::status)
                .containsOnly(UsageStatus.USED, UsageStatus.UNUSED);
        assisted.keys().forEach(key -> assertThat(key.unknown()).as("unknowns of " + key.keyId()).isEmpty());
    }

    private RegionSnapshot collect(AccountRef account, boolean assist) {
        return collect(account, new KmsProperties(4, assist, true, PAGES));
    }

    /** Used keys (the odd ones last used before the window) and keys never used, all tracked by GetKeyLastUsage. */
    private AccountRef registerRegion(boolean cloudTrailDenied) {
        StringBuilder yaml = new StringBuilder("disabledRegions: []\nregions:\n  us-east-1:\n    cloudTrailDenied: ")
                .append(cloudTrailDenied).append("\n    keys:\n");
        for (int i = 1; i <= USED + UNUSED; i++) {
            yaml.append("      - id: %08d-0000-4000-8000-%012d\n".formatted(i, i)).append("        createdAt: -400d\n");
            if (i <= USED) {
                int daysAgo = i % 2 == 0 ? i : 90 + i;
                yaml.append("        lastUsage: {at: -%dd, operation: Decrypt}\n".formatted(daysAgo));
            } else {
                yaml.append("        lastUsage: none\n        noiseEvents: ").append(i).append('\n');
            }
        }
        return register(yaml.toString());
    }
}
