package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.kms.UsageSpans;
import dev.unusd.spokesim.CounterSnapshot;
import dev.unusd.spokesim.Scenario;

/** Every branch of the usage resolver, through real SDK clients against the simulator. */
class UsageResolutionIntegrationTest extends EngineIntegrationTest {

    /** Tracking started 30 days ago, inside the 90-day window: the span before it is CloudTrail's to answer. */
    static final String ACCOUNT = """
            disabledRegions: []
            regions:
              us-east-1:
                trackingStartDate: -30d
                keys:
                  - id: 00000001-0000-4000-8000-000000000001
                    lastUsage: {at: -2d, operation: Decrypt}
                  - id: 00000002-0000-4000-8000-000000000002
                    createdAt: -10d
                    lastUsage: none
                  - id: 00000003-0000-4000-8000-000000000003
                    createdAt: -200d
                    noiseEvents: 120
                    cloudTrail:
                      - {at: -45d, eventName: GenerateDataKey}
                      - {at: -40d, eventName: Decrypt, errorCode: DisabledException}
                  - id: 00000004-0000-4000-8000-000000000004
                    createdAt: -200d
                    noiseEvents: 120
                    cloudTrail:
                      - {at: -120d, eventName: Encrypt}
                  - id: 00000005-0000-4000-8000-000000000005
                    lastUsage: {at: -3d, operation: Encrypt}
                    faults: {denyGetKeyLastUsage: true}
                  - id: 00000006-0000-4000-8000-000000000006
                    createdAt: -200d
                    faults: {getKeyLastUsageUnsupported: true}
                    noiseEvents: 20
              eu-west-1:
                trackingStartDate: -30d
                cloudTrailDenied: true
                keys:
                  - id: 00000007-0000-4000-8000-000000000007
                    createdAt: -200d
                  - id: 00000008-0000-4000-8000-000000000008
                    faults: {denyGetKeyLastUsage: true}
                  - id: 00000009-0000-4000-8000-000000000009
                    lastUsage: {at: -1d, operation: Sign}
                    spec: ECC_NIST_P256
            """;

    @Test
    void resolvesEveryBranchAndSearchesCloudTrailOnlyForTheGap() {
        Target target = register(ACCOUNT, "us-east-1", "eu-west-1");
        Instant before = Instant.now();

        TargetResult result = scan(target, "us-east-1", UUID.randomUUID());

        assertThat(result.status()).isEqualTo(TargetStatus.SUCCEEDED);
        Map<String, Map<String, Object>> keys = keys(target, "us-east-1");
        // GetKeyLastUsage present.
        assertUsage(keys.get("00000001-0000-4000-8000-000000000001"), "USED", "KMS_LAST_USAGE", "Decrypt");
        // Absent, created after tracking started: never used.
        assertUsage(keys.get("00000002-0000-4000-8000-000000000002"), "UNUSED", null, null);
        // Absent, tracking started inside the window: CloudTrail over the gap skips 120 noise events and a failed call.
        Map<String, Object> gapUsed = keys.get("00000003-0000-4000-8000-000000000003");
        assertUsage(gapUsed, "USED", "CLOUDTRAIL", "GenerateDataKey");
        assertThat(gapUsed.get("last_used_event_id")).isNotNull();
        assertThat(daysAgo(gapUsed.get("last_used_at"), before)).isEqualTo(45);
        // Nothing in the gap (the only use is older than event history).
        Map<String, Object> gapUnused = keys.get("00000004-0000-4000-8000-000000000004");
        assertUsage(gapUnused, "UNUSED", null, null);
        // One span searched: the gap by CloudTrail, then since tracking began by GetKeyLastUsage.
        UsageSpans searched = UsageSpans.parse(gapUnused.get("usage_searched").toString());
        assertThat(searched.spans()).hasSize(1);
        assertThat(Math.round(Duration.between(searched.spans().get(0).from(), before).toMinutes() / 1440.0))
                .isEqualTo(90);
        // GetKeyLastUsage denied by the key policy: CloudTrail over the whole window answers, and the denial is kept.
        Map<String, Object> denied = keys.get("00000005-0000-4000-8000-000000000005");
        assertUsage(denied, "USED", "CLOUDTRAIL", "Encrypt");
        assertThat(denied.get("unknown").toString()).contains("lastUsage").contains("AccessDeniedException");
        // GetKeyLastUsage unsupported for the key: CloudTrail finds nothing.
        assertUsage(keys.get("00000006-0000-4000-8000-000000000006"), "UNUSED", null, null);

        assertThat(findingStatuses(target, "us-east-1")).contains(
                entry("00000004-0000-4000-8000-000000000004 KEY_UNUSED", "OPEN"),
                entry("00000006-0000-4000-8000-000000000006 KEY_UNUSED", "OPEN"))
                .doesNotContainKeys("00000003-0000-4000-8000-000000000003 KEY_UNUSED",
                        "00000005-0000-4000-8000-000000000005 KEY_UNUSED");

        CounterSnapshot calls = sim().counters();
        assertThat(calls.of(target.awsAccountId(), "us-east-1", "GetKeyLastUsage").calls()).isEqualTo(6);
        assertThat(calls.of(target.awsAccountId(), "us-east-1", "LookupEvents").calls())
                .as("CloudTrail only for keys 3, 4 (gap), 5 (denied) and 6 (unsupported)").isBetween(4L, 9L);
    }

    @Test
    void withoutCloudTrailWhatKmsCannotAnswerIsUnknownAndGetsNoFinding() {
        Target target = register(ACCOUNT, "us-east-1", "eu-west-1");

        TargetResult result = scan(target, "eu-west-1", UUID.randomUUID());

        assertThat(result.status()).isEqualTo(TargetStatus.SUCCEEDED);
        Map<String, Map<String, Object>> keys = keys(target, "eu-west-1");
        assertUsage(keys.get("00000007-0000-4000-8000-000000000007"), "UNKNOWN", null, null);
        assertThat(keys.get("00000007-0000-4000-8000-000000000007").get("unknown").toString())
                .contains("\"usage\": \"CloudTrail: AccessDeniedException");
        assertUsage(keys.get("00000008-0000-4000-8000-000000000008"), "UNKNOWN", null, null);
        assertThat(keys.get("00000008-0000-4000-8000-000000000008").get("unknown").toString())
                .contains("lastUsage").contains("usage");
        assertUsage(keys.get("00000009-0000-4000-8000-000000000009"), "USED", "KMS_LAST_USAGE", "Sign");
        assertThat(findingStatuses(target, "eu-west-1")).containsOnlyKeys(
                "00000007-0000-4000-8000-000000000007 ROTATION_DISABLED",
                "00000008-0000-4000-8000-000000000008 ROTATION_DISABLED");
    }

    /**
     * ML-KEM keys are used through Encapsulate and Decapsulate, which GetKeyLastUsage tracks: CloudTrail must count
     * them too, over the whole window (GetKeyLastUsage denied) and over the gap before tracking began.
     */
    @Test
    void anMlKemKeyUsedOnlyByEncapsulationIsUsedWhicheverPathAnswers() {
        Target target = register("""
                disabledRegions: []
                regions:
                  us-east-1:
                    trackingStartDate: -30d
                    keys:
                      - id: 0000000a-0000-4000-8000-00000000000a
                        spec: ML_KEM_768
                        createdAt: -200d
                        faults: {denyGetKeyLastUsage: true}
                        cloudTrail:
                          - {at: -20d, eventName: Decapsulate}
                      - id: 0000000b-0000-4000-8000-00000000000b
                        spec: ML_KEM_768
                        createdAt: -200d
                        cloudTrail:
                          - {at: -50d, eventName: Encapsulate}
                """, "us-east-1");

        TargetResult result = scan(target, "us-east-1", UUID.randomUUID());

        assertThat(result.status()).isEqualTo(TargetStatus.SUCCEEDED);
        Map<String, Map<String, Object>> keys = keys(target, "us-east-1");
        assertUsage(keys.get("0000000a-0000-4000-8000-00000000000a"), "USED", "CLOUDTRAIL", "Decapsulate");
        assertUsage(keys.get("0000000b-0000-4000-8000-00000000000b"), "USED", "CLOUDTRAIL", "Encapsulate");
        assertThat(findingStatuses(target, "us-east-1")).isEmpty();
    }

    /**
     * An answer without TrackingStartDate (optional in AWS's model) vouches for nothing before the use it reports: a
     * key last used 60 days ago, before tracking began, is USED by CloudTrail's word, and UNKNOWN where CloudTrail
     * is denied, never UNUSED "since it was created".
     */
    @Test
    void anAnswerWithoutTrackingStartLeavesTheWindowToCloudTrail() {
        Target target = register("""
                disabledRegions: []
                regions:
                  us-east-1:
                    trackingStartDate: -30d
                    keys:
                      - id: 0000000c-0000-4000-8000-00000000000c
                        createdAt: -400d
                        faults: {omitTrackingStartDate: true}
                        cloudTrail:
                          - {at: -60d, eventName: Decrypt}
                      - id: 0000000d-0000-4000-8000-00000000000d
                        createdAt: -400d
                        lastUsage: {at: -120d, operation: Encrypt}
                        faults: {omitTrackingStartDate: true}
                  eu-west-1:
                    trackingStartDate: -30d
                    cloudTrailDenied: true
                    keys:
                      - id: 0000000e-0000-4000-8000-00000000000e
                        createdAt: -400d
                        faults: {omitTrackingStartDate: true}
                      - id: 0000000f-0000-4000-8000-00000000000f
                        createdAt: -400d
                        lastUsage: {at: -5d, operation: Decrypt}
                        faults: {omitTrackingStartDate: true}
                """, "us-east-1", "eu-west-1");

        assertThat(scan(target, "us-east-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);
        assertThat(scan(target, "eu-west-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);

        Map<String, Map<String, Object>> east = keys(target, "us-east-1");
        assertUsage(east.get("0000000c-0000-4000-8000-00000000000c"), "USED", "CLOUDTRAIL", "Decrypt");
        // A reported use vouches for the time after it: used 120 days ago and not since is unused in the window.
        assertUsage(east.get("0000000d-0000-4000-8000-00000000000d"), "UNUSED", "KMS_LAST_USAGE", "Encrypt");
        Map<String, Map<String, Object>> west = keys(target, "eu-west-1");
        assertUsage(west.get("0000000e-0000-4000-8000-00000000000e"), "UNKNOWN", null, null);
        assertUsage(west.get("0000000f-0000-4000-8000-00000000000f"), "USED", "KMS_LAST_USAGE", "Decrypt");
        assertThat(findingStatuses(target, "us-east-1")).containsOnlyKeys(
                "0000000c-0000-4000-8000-00000000000c ROTATION_DISABLED",
                "0000000d-0000-4000-8000-00000000000d ROTATION_DISABLED",
                "0000000d-0000-4000-8000-00000000000d KEY_UNUSED");
        assertThat(findingStatuses(target, "eu-west-1")).doesNotContainKey(
                "0000000e-0000-4000-8000-00000000000e KEY_UNUSED");
    }

    /**
     * A use GetKeyLastUsage reports without its time (the field is optional in AWS's model) may lie inside the window:
     * the answer vouches for nothing. Tracking began 300 days ago, so read as "no use since tracking began" it would
     * call a key used 20 days ago UNUSED. CloudTrail finds the use; where CloudTrail is denied the key is UNKNOWN.
     */
    @Test
    void aUseReportedWithoutItsTimeIsNeverReadAsNoUse() {
        Target target = register("""
                disabledRegions: []
                regions:
                  us-east-1:
                    trackingStartDate: -300d
                    keys:
                      - id: 00000010-0000-4000-8000-000000000010
                        createdAt: -400d
                        lastUsage: {at: -20d, operation: Decrypt}
                        faults: {omitLastUsageTimestamp: true}
                  eu-west-1:
                    trackingStartDate: -300d
                    cloudTrailDenied: true
                    keys:
                      - id: 00000011-0000-4000-8000-000000000011
                        createdAt: -400d
                        lastUsage: {at: -20d, operation: Decrypt}
                        faults: {omitLastUsageTimestamp: true}
                """, "us-east-1", "eu-west-1");

        assertThat(scan(target, "us-east-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);
        assertThat(scan(target, "eu-west-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);

        assertUsage(keys(target, "us-east-1").get("00000010-0000-4000-8000-000000000010"), "USED", "CLOUDTRAIL",
                "Decrypt");
        assertUsage(keys(target, "eu-west-1").get("00000011-0000-4000-8000-000000000011"), "UNKNOWN", null, null);
        assertThat(findingStatuses(target, "us-east-1"))
                .doesNotContainKey("00000010-0000-4000-8000-000000000010 KEY_UNUSED");
        assertThat(findingStatuses(target, "eu-west-1"))
                .doesNotContainKey("00000011-0000-4000-8000-000000000011 KEY_UNUSED");
    }

    /**
     * DescribeKey answering without KeyManager (optional in AWS's model) says nothing of whether the key is billed and
     * ours to judge: the key's metadata is unknown, as if DescribeKey were denied. Never an AWS-managed key at $0 with
     * no finding, and, scanned before, never a judged key whose findings the gap resolves.
     */
    @Test
    void aDescriptionWithoutItsKeyManagerLeavesTheKeyUnknownNeverFree() {
        String scenario = """
                disabledRegions: []
                regions:
                  us-east-1:
                    trackingStartDate: -300d
                    keys:
                      - id: 00000015-0000-4000-8000-000000000015
                        createdAt: -400d
                        lastUsage: none
                        faults: {omitKeyManager: %s}
                """;
        Target target = register(scenario.formatted("true"), "us-east-1");
        String keyId = "00000015-0000-4000-8000-000000000015";

        TargetResult first = scan(target, "us-east-1", UUID.randomUUID());
        assertThat(first.status()).isEqualTo(TargetStatus.SUCCEEDED);
        Map<String, Object> key = keys(target, "us-east-1").get(keyId);
        assertThat(key.get("monthly_cost_usd")).isNull();
        assertThat(key.get("unknown").toString()).contains("DescribeKey answered without KeyManager");
        assertThat(findingStatuses(target, "us-east-1")).isEmpty();
        assertThat(first.warnings()).extracting(TargetWarning::code).contains("METADATA_UNKNOWN");

        // Judged once with the whole answer, then the answer lacks KeyManager again: the finding stays as it was.
        sim().setKeyFaults(target.awsAccountId(), "us-east-1", keyId, Scenario.KeyFaults.NONE);
        scan(target, "us-east-1", UUID.randomUUID());
        assertThat(findingStatuses(target, "us-east-1")).containsEntry(keyId + " KEY_UNUSED", "OPEN");
        sim().setKeyFaults(target.awsAccountId(), "us-east-1", keyId,
                new Scenario.KeyFaults(false, false, false, false, false, false, true));
        assertThat(scan(target, "us-east-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);
        assertThat(findingStatuses(target, "us-east-1")).containsEntry(keyId + " KEY_UNUSED", "OPEN");
        assertThat(keys(target, "us-east-1").get(keyId).get("state")).isEqualTo("Enabled");
    }

    /**
     * A key pending deletion cannot be used, so whatever still depends on it shows only as calls KMS refuses
     * (KMSInvalidStateException; DisabledException while it was disabled). Last used 45 days ago, refused 3 days ago:
     * deleting it breaks that consumer, a PENDING_DELETION_IN_USE finding. Where CloudTrail cannot tell, the rule is
     * undecided, never clear.
     */
    @Test
    void aCallRefusedBecauseTheKeyIsPendingDeletionShowsItIsStillInUse() {
        Target target = register("""
                disabledRegions: []
                regions:
                  us-east-1:
                    trackingStartDate: -300d
                    keys:
                      - id: 00000012-0000-4000-8000-000000000012
                        createdAt: -400d
                        state: PendingDeletion
                        deletionDate: +20d
                        lastUsage: {at: -45d, operation: Decrypt}
                        cloudTrail:
                          - {at: -3d, eventName: Decrypt, errorCode: KMSInvalidStateException}
                      - id: 00000013-0000-4000-8000-000000000013
                        createdAt: -400d
                        state: PendingDeletion
                        deletionDate: +20d
                        lastUsage: {at: -45d, operation: Decrypt}
                        cloudTrail:
                          - {at: -2d, eventName: Decrypt, errorCode: AccessDeniedException}
                  eu-west-1:
                    trackingStartDate: -300d
                    cloudTrailDenied: true
                    keys:
                      - id: 00000014-0000-4000-8000-000000000014
                        createdAt: -400d
                        state: PendingDeletion
                        deletionDate: +20d
                        lastUsage: {at: -45d, operation: Decrypt}
                """, "us-east-1", "eu-west-1");

        assertThat(scan(target, "us-east-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);
        TargetResult west = scan(target, "eu-west-1", UUID.randomUUID());
        assertThat(west.status()).isEqualTo(TargetStatus.SUCCEEDED);

        assertThat(findingStatuses(target, "us-east-1"))
                .containsEntry("00000012-0000-4000-8000-000000000012 PENDING_DELETION_IN_USE", "OPEN")
                // A call refused for want of permission says nothing of the key's state.
                .doesNotContainKey("00000013-0000-4000-8000-000000000013 PENDING_DELETION_IN_USE");
        assertThat(findingStatuses(target, "eu-west-1"))
                .doesNotContainKey("00000014-0000-4000-8000-000000000014 PENDING_DELETION_IN_USE");
        assertThat(west.undecidedKeys()).as("the key whose refused calls CloudTrail could not show").isEqualTo(1);
        assertThat(west.warnings()).extracting(TargetWarning::code).contains("REFUSED_USE_DENIED");
    }

    /**
     * Each scan searches only what no earlier search covered (from shortly before it ran): a key pending deletion with
     * 30 days of other events is read page after page once, then in one call; a refused call found once keeps its
     * finding open while the later searches look only at the time since.
     */
    @Test
    void refusedCallsAreSearchedOnceAndThenOnlySinceTheLastSearch() {
        Target target = register("""
                disabledRegions: []
                regions:
                  us-east-1:
                    trackingStartDate: -300d
                    keys:
                      - id: 00000016-0000-4000-8000-000000000016
                        createdAt: -400d
                        state: PendingDeletion
                        deletionDate: +20d
                        lastUsage: {at: -45d, operation: Decrypt}
                        noiseEvents: 900
                      - id: 00000017-0000-4000-8000-000000000017
                        createdAt: -400d
                        state: PendingDeletion
                        deletionDate: +20d
                        lastUsage: {at: -45d, operation: Decrypt}
                        cloudTrail:
                          - {at: -3d, eventName: Decrypt, errorCode: KMSInvalidStateException}
                """, "us-east-1");
        String account = target.awsAccountId();

        long before = sim().counters().of(account, "us-east-1", "LookupEvents").calls();
        assertThat(scan(target, "us-east-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);
        long first = sim().counters().of(account, "us-east-1", "LookupEvents").calls() - before;
        assertThat(scan(target, "us-east-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);
        long second = sim().counters().of(account, "us-east-1", "LookupEvents").calls() - before - first;

        assertThat(first).as("the first scan reads the noisy key's 30 days, page after page").isGreaterThanOrEqualTo(4);
        assertThat(second).as("the rescan: one call per key, for the time since the last search").isEqualTo(2);
        assertThat(findingStatuses(target, "us-east-1"))
                .containsEntry("00000017-0000-4000-8000-000000000017 PENDING_DELETION_IN_USE", "OPEN")
                .doesNotContainKey("00000016-0000-4000-8000-000000000016 PENDING_DELETION_IN_USE");
        assertThat(keys(target, "us-east-1").get("00000017-0000-4000-8000-000000000017").get("refused_use").toString())
                .contains("KMSInvalidStateException");
    }

    static void assertUsage(Map<String, Object> key, String status, String source, String operation) {
        assertThat(key.get("usage_status")).as("usage of " + key.get("key_id")).isEqualTo(status);
        assertThat(key.get("last_used_source")).as("source of " + key.get("key_id")).isEqualTo(source);
        assertThat(key.get("last_used_operation")).as("operation of " + key.get("key_id")).isEqualTo(operation);
    }

    static long daysAgo(Object timestamp, Instant now) {
        Instant at = timestamp instanceof OffsetDateTime odt ? odt.toInstant()
                : ((java.sql.Timestamp) timestamp).toInstant();
        return Math.round(Duration.between(at, now).toMinutes() / 1440.0);
    }
}
