package dev.unusd.spokesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.unusd.spokesim.organisation.SimKey;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.GetKeyLastUsageResponse;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Keys live while days pass: created, used, disabled, scheduled for deletion and deleted, rotated and tagged through
 * the fixture, each seen through the real SDK as a scan would see it. Every test works in an account of its own.
 */
class KeyLifecycleIntegrationTest {

    static final String REGION = "us-east-1";
    static final AtomicLong NEXT_ACCOUNT = new AtomicLong(400_000_000_000L);

    static SpokeSim sim;
    static AwsClients aws;

    @BeforeAll
    static void start() {
        sim = SpokeSim.start(Scenario.of(List.of()));
        sim.setQuotaScale(1000);
        aws = new AwsClients(sim);
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void aCreatedKeyIsAnEnabledSymmetricCustomerKeyThatWasNeverUsed() {
        String account = newAccount();
        Instant before = sim.now().truncatedTo(ChronoUnit.MILLIS);
        String keyId = sim.createKey(account, REGION, "invoices");
        String arn = arn(account, keyId);
        try (KmsClient kms = kms(account); CloudTrailClient cloudTrail = cloudTrail(account)) {
            assertThat(kms.listKeys().keys()).extracting(KeyListEntry::keyId).containsExactly(keyId);
            KeyMetadata m = kms.describeKey(r -> r.keyId(keyId)).keyMetadata();
            assertThat(m.arn()).isEqualTo(arn);
            assertThat(m.description()).isEqualTo("invoices");
            assertThat(m.keyManagerAsString()).isEqualTo("CUSTOMER");
            assertThat(m.keyStateAsString()).isEqualTo("Enabled");
            assertThat(m.keySpecAsString()).isEqualTo("SYMMETRIC_DEFAULT");
            assertThat(m.keyUsageAsString()).isEqualTo("ENCRYPT_DECRYPT");
            assertThat(m.originAsString()).isEqualTo("AWS_KMS");
            assertThat(m.creationDate()).isBetween(before, sim.now());
            assertThat(kms.getKeyRotationStatus(r -> r.keyId(keyId)).keyRotationEnabled()).isFalse();
            GetKeyLastUsageResponse usage = kms.getKeyLastUsage(r -> r.keyId(keyId));
            assertThat(usage.keyLastUsage()).isNull();
            assertThat(usage.keyCreationDate()).isEqualTo(m.creationDate());

            Event created = TrailEvents.onKey(cloudTrail, arn).stream().filter(e -> e.eventName().equals("CreateKey"))
                    .findFirst().orElseThrow();
            assertThat(created.readOnly()).isEqualTo("false");
            assertThat(created.username()).isEqualTo("owner");
            assertThat(TrailEvents.document(created).get("requestParameters")).isEqualTo(Map.of("description",
                    "invoices", "keySpec", "SYMMETRIC_DEFAULT", "keyUsage", "ENCRYPT_DECRYPT", "origin", "AWS_KMS"));
        }
        KeyTruth truth = single(account);
        assertThat(truth.id()).isEqualTo(keyId);
        assertThat(truth.arn()).isEqualTo(arn);
        assertThat(truth.manager()).isEqualTo(Scenario.KeyManager.CUSTOMER);
        assertThat(truth.state()).isEqualTo(Scenario.KeyState.Enabled);
        assertThat(truth.deletionDate()).isNull();
        assertThat(truth.rotationEnabled()).isFalse();
        assertThat(truth.rotationPeriodDays()).isNull();
        assertThat(truth.rotationCount()).isZero();
        assertThat(truth.uses()).isEmpty();
    }

    @Test
    void aSuccessfulUseIsTheLastUsageAndAFailedCallIsOnlyACloudTrailEvent() {
        String account = newAccount();
        String keyId = sim.createKey(account, REGION, "orders");
        sim.advanceClock(Duration.ofHours(5));
        Instant decryptAt = sim.now().truncatedTo(ChronoUnit.MILLIS);
        sim.useKey(account, REGION, keyId, "Decrypt", null);
        sim.advanceClock(Duration.ofHours(1));
        sim.useKey(account, REGION, keyId, "Encrypt", "AccessDeniedException");

        try (KmsClient kms = kms(account); CloudTrailClient cloudTrail = cloudTrail(account)) {
            GetKeyLastUsageResponse usage = kms.getKeyLastUsage(r -> r.keyId(keyId));
            assertThat(usage.keyLastUsage().operationAsString()).isEqualTo("Decrypt");
            assertThat(usage.keyLastUsage().timestamp()).isBetween(decryptAt, decryptAt.plusSeconds(5));
            List<Event> events = TrailEvents.onKey(cloudTrail, arn(account, keyId));
            Event denied = events.stream().filter(e -> e.eventName().equals("Encrypt")).findFirst().orElseThrow();
            assertThat(TrailEvents.document(denied)).containsEntry("errorCode", "AccessDeniedException");
            Event decrypt = events.stream().filter(e -> e.eventName().equals("Decrypt")).findFirst().orElseThrow();
            assertThat(decrypt.eventId()).isEqualTo(usage.keyLastUsage().cloudTrailEventId());
            assertThat(TrailEvents.document(decrypt)).containsEntry("requestID", usage.keyLastUsage().kmsRequestId())
                    .doesNotContainKey("errorCode");

            sim.disableKey(account, REGION, keyId);
            assertThatThrownBy(() -> sim.useKey(account, REGION, keyId, "Encrypt", null))
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("DisabledException");
            assertThat(TrailEvents.onKey(cloudTrail, arn(account, keyId))).extracting(Event::eventName)
                    .startsWith("Encrypt", "DisableKey");
            assertThat(kms.getKeyLastUsage(r -> r.keyId(keyId)).keyLastUsage().operationAsString()).isEqualTo("Decrypt");
        }
        assertThat(single(account).uses()).singleElement().satisfies(use -> {
            assertThat(use.operation()).isEqualTo("Decrypt");
            assertThat(use.at()).isBetween(decryptAt, decryptAt.plusSeconds(5));
        });
        assertThatThrownBy(() -> sim.useKey(account, REGION, keyId, "DescribeKey", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTrackingStartDecidesWhichUseGetKeyLastUsageReports() {
        Instant now = sim.now();
        Scenario.Account loaded = sim.addAccount(new ScenarioReader(now).parse("""
                accounts:
                  - id: "%s"
                    regions:
                      us-east-1:
                        trackingStartDate: -30d
                        keys:
                          - cloudTrail:
                              - {at: -100d, eventName: Decrypt}
                              - {at: -45d, eventName: Encrypt}
                              - {at: -40d, eventName: Decrypt, errorCode: DisabledException}
                """.formatted(nextAccountId())).accounts().get(0));
        String account = loaded.id();
        String keyId = loaded.region(REGION).keys().get(0).id();
        try (KmsClient kms = kms(account)) {
            assertThat(kms.getKeyLastUsage(r -> r.keyId(keyId)).keyLastUsage()).isNull();

            sim.setTrackingStartDate(account, REGION, now.minus(Duration.ofDays(50)));
            GetKeyLastUsageResponse encrypt = kms.getKeyLastUsage(r -> r.keyId(keyId));
            assertThat(encrypt.keyLastUsage().operationAsString()).isEqualTo("Encrypt");
            assertThat(encrypt.keyLastUsage().timestamp()).isEqualTo(now.minus(Duration.ofDays(45))
                    .truncatedTo(ChronoUnit.MILLIS));
            assertThat(encrypt.trackingStartDate()).isEqualTo(now.minus(Duration.ofDays(50)).truncatedTo(ChronoUnit.MILLIS));

            sim.useKey(account, REGION, keyId, "GenerateDataKey");
            assertThat(kms.getKeyLastUsage(r -> r.keyId(keyId)).keyLastUsage().operationAsString())
                    .isEqualTo("GenerateDataKey");
            sim.setTrackingStartDate(account, REGION, sim.now().plus(Duration.ofDays(1)));
            assertThat(kms.getKeyLastUsage(r -> r.keyId(keyId)).keyLastUsage()).isNull();
            sim.setTrackingStartDate(account, REGION, now.minus(Duration.ofDays(120)));
            assertThat(kms.getKeyLastUsage(r -> r.keyId(keyId)).keyLastUsage().operationAsString())
                    .isEqualTo("GenerateDataKey");
        }
        assertThat(single(account).uses()).extracting(KeyTruth.Use::operation)
                .containsExactly("Decrypt", "Encrypt", "GenerateDataKey");
    }

    @Test
    void aKeyPendingDeletionIsDeletedWhenTheClockPassesItsDeletionDate() {
        Scenario.Account loaded = sim.addAccount(new ScenarioReader(sim.now()).parse("""
                accounts:
                  - id: "%s"
                    regions:
                      us-east-1:
                        keys:
                          - {aliases: [alias/doomed], tags: {team: billing}}
                          - {aliases: [alias/kept]}
                """.formatted(nextAccountId())).accounts().get(0));
        String account = loaded.id();
        String keyId = loaded.region(REGION).keys().get(0).id();
        String kept = loaded.region(REGION).keys().get(1).id();
        String arn = arn(account, keyId);
        Instant scheduledAt = sim.now();
        sim.scheduleKeyDeletion(account, REGION, keyId, 7);

        try (KmsClient kms = kms(account); CloudTrailClient cloudTrail = cloudTrail(account)) {
            KeyMetadata pending = kms.describeKey(r -> r.keyId(keyId)).keyMetadata();
            assertThat(pending.keyStateAsString()).isEqualTo("PendingDeletion");
            assertThat(pending.pendingDeletionWindowInDays()).isEqualTo(7);
            assertThat(pending.deletionDate()).isBetween(scheduledAt.plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.MILLIS),
                    scheduledAt.plus(Duration.ofDays(7)).plusSeconds(5));
            KeyTruth truth = single(account, keyId);
            assertThat(truth.state()).isEqualTo(Scenario.KeyState.PendingDeletion);
            assertThat(truth.deletionDate().truncatedTo(ChronoUnit.MILLIS)).isEqualTo(pending.deletionDate());
            assertThat(truth.tags()).isEqualTo(Map.of("team", "billing"));

            sim.advanceClock(Duration.ofDays(6));
            assertThat(kms.listKeys().keys()).extracting(KeyListEntry::keyId).contains(keyId);

            sim.advanceClock(Duration.ofDays(1).plusMinutes(1));
            assertThat(kms.listKeys().keys()).extracting(KeyListEntry::keyId).containsExactly(kept);
            String notFound = "Key '" + arn + "' does not exist";
            KmsIntegrationTest.assertError(() -> kms.describeKey(r -> r.keyId(keyId)), "NotFoundException", notFound);
            KmsIntegrationTest.assertError(() -> kms.getKeyRotationStatus(r -> r.keyId(arn)), "NotFoundException", notFound);
            KmsIntegrationTest.assertError(() -> kms.getKeyLastUsage(r -> r.keyId(arn)), "NotFoundException", notFound);
            KmsIntegrationTest.assertError(() -> kms.listResourceTags(r -> r.keyId(arn)), "NotFoundException", notFound);
            KmsIntegrationTest.assertError(() -> kms.listKeyRotations(r -> r.keyId(arn)), "NotFoundException", notFound);
            KmsIntegrationTest.assertError(() -> kms.describeKey(r -> r.keyId("alias/doomed")), "NotFoundException",
                    "Alias arn:aws:kms:us-east-1:" + account + ":alias/doomed is not found.");
            assertThat(kms.listAliases().aliases()).extracting(AliasListEntry::aliasName).containsExactly("alias/kept");

            Event deleted = TrailEvents.onKey(cloudTrail, arn).get(0);
            assertThat(deleted.eventName()).isEqualTo("DeleteKey");
            assertThat(deleted.eventTime()).isEqualTo(pending.deletionDate());
            assertThat(TrailEvents.document(deleted)).containsEntry("eventType", "AwsServiceEvent")
                    .containsEntry("readOnly", false)
                    .containsEntry("userIdentity", Map.of("type", "AWSService", "invokedBy", "kms.amazonaws.com"));
        }
        assertThat(sim.keys(account, REGION)).extracting(KeyTruth::id).containsExactly(kept);
        assertThatThrownBy(() -> sim.useKey(account, REGION, keyId, "Encrypt"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyDeletedNowIsGoneAtOnce() {
        String account = newAccount();
        String keyId = sim.createKey(account, REGION, "short-lived");
        sim.deleteKeyNow(account, REGION, keyId);
        try (KmsClient kms = kms(account)) {
            assertThat(kms.listKeys().keys()).isEmpty();
            KmsIntegrationTest.assertError(() -> kms.describeKey(r -> r.keyId(keyId)), "NotFoundException",
                    "Key '" + arn(account, keyId) + "' does not exist");
        }
        assertThat(sim.keys(account, REGION)).isEmpty();
    }

    @Test
    void aCancelledDeletionLeavesTheKeyDisabledAndStatesRefuseWhatKmsRefuses() {
        String account = newAccount();
        String keyId = sim.createKey(account, REGION, "reprieved");
        assertThatThrownBy(() -> sim.scheduleKeyDeletion(account, REGION, keyId, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pendingWindowInDays");
        sim.scheduleKeyDeletion(account, REGION, keyId, 30);
        assertThatThrownBy(() -> sim.disableKey(account, REGION, keyId))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("KMSInvalidStateException");
        assertThatThrownBy(() -> sim.tagKey(account, REGION, keyId, "a", "b"))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("KMSInvalidStateException");
        assertThatThrownBy(() -> sim.useKey(account, REGION, keyId, "Decrypt"))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("KMSInvalidStateException");
        sim.cancelKeyDeletion(account, REGION, keyId);
        assertThatThrownBy(() -> sim.cancelKeyDeletion(account, REGION, keyId))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("KMSInvalidStateException");
        sim.advanceClock(Duration.ofDays(31));

        try (KmsClient kms = kms(account); CloudTrailClient cloudTrail = cloudTrail(account)) {
            KeyMetadata m = kms.describeKey(r -> r.keyId(keyId)).keyMetadata();
            assertThat(m.keyStateAsString()).isEqualTo("Disabled");
            assertThat(m.deletionDate()).isNull();
            sim.enableKey(account, REGION, keyId);
            assertThat(kms.describeKey(r -> r.keyId(keyId)).keyMetadata().keyStateAsString()).isEqualTo("Enabled");

            List<Event> management = new java.util.ArrayList<>(TrailEvents.onKey(cloudTrail, arn(account, keyId)).stream()
                    .filter(e -> e.readOnly().equals("false")).toList());
            java.util.Collections.reverse(management);
            assertThat(management).extracting(Event::eventName).containsExactly("CreateKey", "ScheduleKeyDeletion",
                    "DisableKey", "TagResource", "CancelKeyDeletion", "CancelKeyDeletion", "EnableKey");
            assertThat(management).extracting(e -> TrailEvents.document(e).get("errorCode"))
                    .containsExactly(null, null, "KMSInvalidStateException", "KMSInvalidStateException", null,
                            "KMSInvalidStateException", null);
            assertThat(TrailEvents.document(management.get(1)).get("requestParameters"))
                    .isEqualTo(Map.of("keyId", arn(account, keyId), "pendingWindowInDays", 30));
        }
        assertThat(single(account).uses()).isEmpty();
    }

    @Test
    void rotationHappensEveryPeriodWhileEnabledAndOnDemand() {
        String account = newAccount();
        String keyId = sim.createKey(account, REGION, "rotating");
        assertThatThrownBy(() -> sim.setRotation(account, REGION, keyId, true, 89))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rotationPeriodInDays");
        Instant enabledAt = sim.now();
        sim.setRotation(account, REGION, keyId, true, 90);

        try (KmsClient kms = kms(account)) {
            GetKeyRotationStatusResponse status = kms.getKeyRotationStatus(r -> r.keyId(keyId));
            assertThat(status.keyRotationEnabled()).isTrue();
            assertThat(status.rotationPeriodInDays()).isEqualTo(90);
            Instant first = status.nextRotationDate();
            assertThat(first).isBetween(enabledAt.plus(Duration.ofDays(90)).truncatedTo(ChronoUnit.MILLIS),
                    enabledAt.plus(Duration.ofDays(90)).plusSeconds(5));

            sim.advanceClock(Duration.ofDays(200));
            assertThat(kms.listKeyRotations(r -> r.keyId(keyId)).rotations())
                    .extracting(RotationsListEntry::rotationDate, RotationsListEntry::rotationTypeAsString)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(first, "AUTOMATIC"),
                            org.assertj.core.groups.Tuple.tuple(first.plus(Duration.ofDays(90)), "AUTOMATIC"));
            assertThat(kms.getKeyRotationStatus(r -> r.keyId(keyId)).nextRotationDate())
                    .isEqualTo(first.plus(Duration.ofDays(180)));

            sim.rotateKeyNow(account, REGION, keyId);
            assertThat(kms.listKeyRotations(r -> r.keyId(keyId)).rotations()).extracting(
                    RotationsListEntry::rotationTypeAsString).containsExactly("AUTOMATIC", "AUTOMATIC", "ON_DEMAND");

            // A disabled key does not rotate; enabled again after its date, it rotates at once.
            sim.disableKey(account, REGION, keyId);
            sim.advanceClock(Duration.ofDays(100));
            assertThatThrownBy(() -> sim.rotateKeyNow(account, REGION, keyId))
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("DisabledException");
            assertThat(kms.listKeyRotations(r -> r.keyId(keyId)).rotations()).hasSize(3);
            Instant enabledAgain = sim.now().truncatedTo(ChronoUnit.MILLIS);
            sim.enableKey(account, REGION, keyId);
            List<RotationsListEntry> rotations = kms.listKeyRotations(r -> r.keyId(keyId)).rotations();
            assertThat(rotations).hasSize(4);
            assertThat(rotations.get(3).rotationDate()).isBetween(enabledAgain, enabledAgain.plusSeconds(5));

            sim.setRotation(account, REGION, keyId, false, null);
            GetKeyRotationStatusResponse off = kms.getKeyRotationStatus(r -> r.keyId(keyId));
            assertThat(off.keyRotationEnabled()).isFalse();
            assertThat(off.rotationPeriodInDays()).isNull();
        }
        KeyTruth truth = single(account);
        assertThat(truth.rotationEnabled()).isFalse();
        assertThat(truth.rotationCount()).isEqualTo(4);
        assertThat(truth.uses()).isEmpty();
    }

    @Test
    void everyRotationMakesNewCurrentKeyMaterial() {
        String account = newAccount();
        String keyId = sim.createKey(account, REGION, "materials");
        try (KmsClient kms = kms(account)) {
            String initial = currentKeyMaterialId(kms, keyId);
            assertThat(initial).matches("[0-9a-f]{64}");
            sim.advanceClock(Duration.ofDays(30));
            assertThat(currentKeyMaterialId(kms, keyId)).isEqualTo(initial);

            sim.rotateKeyNow(account, REGION, keyId);
            String onDemand = currentKeyMaterialId(kms, keyId);
            assertThat(onDemand).matches("[0-9a-f]{64}").isNotEqualTo(initial);

            // DescribeKey catches up on a rotation that came due, with no other call in between.
            sim.setRotation(account, REGION, keyId, true, 90);
            sim.advanceClock(Duration.ofDays(91));
            String automatic = currentKeyMaterialId(kms, keyId);
            assertThat(automatic).isNotIn(initial, onDemand);

            List<RotationsListEntry> materials = kms.listKeyRotations(r -> r.keyId(keyId)
                    .includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL)).rotations();
            assertThat(materials).extracting(RotationsListEntry::keyMaterialId)
                    .containsExactly(initial, onDemand, automatic);
            assertThat(materials).extracting(RotationsListEntry::keyMaterialStateAsString)
                    .containsExactly("NON_CURRENT", "NON_CURRENT", "CURRENT");
            assertThat(materials).extracting(RotationsListEntry::rotationTypeAsString)
                    .containsExactly(null, "ON_DEMAND", "AUTOMATIC");
            assertThat(kms.listKeyRotations(r -> r.keyId(keyId)).rotations()).extracting(
                    RotationsListEntry::keyMaterialId).containsExactly(onDemand, automatic);
        }
    }

    @Test
    void importedKeyMaterialRotatesOnDemandToMaterialImportedForIt() {
        Scenario.Account loaded = sim.addAccount(new ScenarioReader(sim.now()).parse("""
                accounts:
                  - id: "%s"
                    regions:
                      us-east-1:
                        keys:
                          - {origin: EXTERNAL, createdAt: -300d, rotation: {rotations: 2}}
                """.formatted(nextAccountId())).accounts().get(0));
        String account = loaded.id();
        Scenario.Key key = loaded.region(REGION).keys().get(0);
        String keyId = key.id();
        try (KmsClient kms = kms(account); CloudTrailClient cloudTrail = cloudTrail(account)) {
            // Two on-demand rotations spread over the key's 300 days: the second one's material is current.
            assertThat(currentKeyMaterialId(kms, keyId)).isEqualTo(SimKey.keyMaterialId(keyId, 2));
            List<RotationsListEntry> materials = allKeyMaterial(kms, keyId);
            assertThat(materials).extracting(RotationsListEntry::keyMaterialId).containsExactly(
                    SimKey.keyMaterialId(keyId, 0), SimKey.keyMaterialId(keyId, 1), SimKey.keyMaterialId(keyId, 2));
            assertThat(materials).extracting(RotationsListEntry::keyMaterialStateAsString)
                    .containsExactly("NON_CURRENT", "NON_CURRENT", "CURRENT");
            assertThat(materials).extracting(RotationsListEntry::rotationTypeAsString)
                    .containsExactly(null, "ON_DEMAND", "ON_DEMAND");
            assertThat(materials).extracting(RotationsListEntry::importStateAsString).containsOnly("IMPORTED");
            assertThat(materials.get(1).rotationDate())
                    .isCloseTo(key.createdAt().plus(Duration.ofDays(100)), within(5, ChronoUnit.SECONDS));
            assertThat(materials.get(2).rotationDate())
                    .isCloseTo(key.createdAt().plus(Duration.ofDays(200)), within(5, ChronoUnit.SECONDS));

            // Imported for a rotation that has not happened: listed with all key material only, and not current.
            sim.importKeyMaterial(account, REGION, keyId);
            String imported = SimKey.keyMaterialId(keyId, 3);
            assertThat(allKeyMaterial(kms, keyId)).hasSize(4).last().satisfies(pending -> {
                assertThat(pending.keyMaterialId()).isEqualTo(imported);
                assertThat(pending.keyMaterialStateAsString()).isEqualTo("PENDING_ROTATION");
                assertThat(pending.importStateAsString()).isEqualTo("IMPORTED");
                assertThat(pending.rotationDate()).isNull();
                assertThat(pending.rotationType()).isNull();
            });
            assertThat(kms.listKeyRotations(r -> r.keyId(keyId)).rotations()).hasSize(2);
            assertThat(currentKeyMaterialId(kms, keyId)).isEqualTo(SimKey.keyMaterialId(keyId, 2));
            assertThat(single(account).rotationCount()).isEqualTo(2);

            Instant before = sim.now().truncatedTo(ChronoUnit.MILLIS);
            sim.rotateKeyNow(account, REGION, keyId);
            assertThat(currentKeyMaterialId(kms, keyId)).isEqualTo(imported);
            assertThat(allKeyMaterial(kms, keyId)).hasSize(4).last().satisfies(rotated -> {
                assertThat(rotated.keyMaterialStateAsString()).isEqualTo("CURRENT");
                assertThat(rotated.rotationTypeAsString()).isEqualTo("ON_DEMAND");
                assertThat(rotated.rotationDate()).isBetween(before, before.plusSeconds(5));
            });

            // With no material pending, its owner imports some first, as KMS requires for imported key material.
            sim.rotateKeyNow(account, REGION, keyId);
            assertThat(currentKeyMaterialId(kms, keyId)).isEqualTo(SimKey.keyMaterialId(keyId, 4));
            assertThat(TrailEvents.onKey(cloudTrail, arn(account, keyId))).extracting(Event::eventName)
                    .containsSubsequence("RotateKeyOnDemand", "ImportKeyMaterial", "RotateKeyOnDemand",
                            "ImportKeyMaterial");

            // Never automatically.
            assertThatThrownBy(() -> sim.setRotation(account, REGION, keyId, true, null))
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("UnsupportedOperationException");
            KmsIntegrationTest.assertError(() -> kms.getKeyRotationStatus(r -> r.keyId(keyId)),
                    "UnsupportedOperationException", arn(account, keyId)
                            + " origin EXTERNAL is not supported for this operation.");
        }
        assertThat(single(account).rotationCount()).isEqualTo(4);
    }

    /** AWS gives CurrentKeyMaterialId for single-Region keys with imported key material only. */
    @Test
    void multiRegionImportedKeyMaterialIsListedButNotNamedByDescribeKey() {
        String id = "mrk-" + "ab".repeat(16);
        Scenario.Account loaded = sim.addAccount(new ScenarioReader(sim.now()).parse("""
                accounts:
                  - id: "%s"
                    regions:
                      us-east-1:
                        keys: [{id: %s, origin: EXTERNAL, multiRegion: {type: PRIMARY}, rotation: {rotations: 1}}]
                      eu-west-1:
                        keys: [{id: %s, origin: EXTERNAL, multiRegion: {type: REPLICA, primaryRegion: us-east-1}}]
                """.formatted(nextAccountId(), id, id)).accounts().get(0));
        String account = loaded.id();
        try (KmsClient primary = kms(account); KmsClient replica = aws.kms("eu-west-1", AwsClients.owner(account))) {
            assertThat(currentKeyMaterialId(primary, id)).isNull();
            assertThat(currentKeyMaterialId(replica, id)).isNull();
            List<RotationsListEntry> materials = allKeyMaterial(primary, id);
            assertThat(materials).extracting(RotationsListEntry::keyMaterialStateAsString)
                    .containsExactly("NON_CURRENT", "CURRENT");
            assertThat(allKeyMaterial(replica, id)).isEqualTo(materials);
        }
    }

    private static List<RotationsListEntry> allKeyMaterial(KmsClient kms, String keyId) {
        return kms.listKeyRotations(r -> r.keyId(keyId).includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL))
                .rotations();
    }

    private static String currentKeyMaterialId(KmsClient kms, String keyId) {
        return kms.describeKey(r -> r.keyId(keyId)).keyMetadata().currentKeyMaterialId();
    }

    @Test
    void tagsAreSetReplacedAndRemovedAndNoneOfItIsUse() {
        String account = newAccount();
        String keyId = sim.createKey(account, REGION, "tagged");
        sim.tagKey(account, REGION, keyId, "team", "payments");
        sim.tagKey(account, REGION, keyId, "unusd", "true");
        sim.tagKey(account, REGION, keyId, "team", "orders");
        sim.untagKey(account, REGION, keyId, "unusd");
        try (KmsClient kms = kms(account); CloudTrailClient cloudTrail = cloudTrail(account)) {
            assertThat(kms.listResourceTags(r -> r.keyId(keyId)).tags()).extracting(Tag::tagKey, Tag::tagValue)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("team", "orders"));
            assertThat(TrailEvents.onKey(cloudTrail, arn(account, keyId))).extracting(Event::eventName)
                    .containsSubsequence("UntagResource", "TagResource", "TagResource", "TagResource", "CreateKey");
            assertThat(kms.getKeyLastUsage(r -> r.keyId(keyId)).keyLastUsage()).isNull();
        }
        assertThat(single(account).tags()).isEqualTo(Map.of("team", "orders"));
    }

    @Test
    void awsManagedKeysAreNotTheOwnersToChange() {
        Scenario.Account loaded = sim.addAccount(new ScenarioReader(sim.now()).parse("""
                accounts:
                  - id: "%s"
                    regions:
                      us-east-1:
                        keys: [{manager: AWS, aliases: [alias/aws/s3]}]
                """.formatted(nextAccountId())).accounts().get(0));
        String keyId = loaded.region(REGION).keys().get(0).id();
        assertThatThrownBy(() -> sim.disableKey(loaded.id(), REGION, keyId)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AWS managed key");
        assertThat(single(loaded.id()).manager()).isEqualTo(Scenario.KeyManager.AWS);
    }

    @Test
    void theControlPlaneShowsKeysAsTheyAreNowAndRecordsFailedCalls() throws Exception {
        String account = newAccount();
        String used = sim.createKey(account, REGION, "used");
        String retired = sim.createKey(account, REGION, "retired");
        sim.disableKey(account, REGION, retired);
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> failed = http.send(HttpRequest.newBuilder(URI.create(sim.endpoint() + "/_sim/keys/use"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"accountId\":\"" + account + "\",\"region\":\"" + REGION
                        + "\",\"keyId\":\"" + used + "\",\"operation\":\"Decrypt\",\"errorCode\":\"AccessDeniedException\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(failed.statusCode()).isEqualTo(204);
        assertThat(sim.lastUsed(account, REGION, used)).isEmpty();
        try (CloudTrailClient cloudTrail = cloudTrail(account)) {
            assertThat(TrailEvents.document(TrailEvents.onKey(cloudTrail, arn(account, used)).get(0)))
                    .containsEntry("eventName", "Decrypt").containsEntry("errorCode", "AccessDeniedException");
        }

        assertThat(region(http, account)).containsEntry("keys", 2)
                .containsEntry("byState", Map.of("Disabled", 1, "Enabled", 1));
        sim.deleteKeyNow(account, REGION, retired);
        assertThat(region(http, account)).containsEntry("keys", 1).containsEntry("byState", Map.of("Enabled", 1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> region(HttpClient http, String account) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(sim.endpoint() + "/_sim/scenario/summary")).GET()
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Object> summary = tools.jackson.databind.json.JsonMapper.builder().build().readValue(body, Map.class);
        Map<String, Object> entry = ((List<Map<String, Object>>) summary.get("accounts")).stream()
                .filter(a -> a.get("id").equals(account)).findFirst().orElseThrow();
        return (Map<String, Object>) ((Map<String, Object>) entry.get("regions")).get(REGION);
    }

    private static String newAccount() {
        String id = nextAccountId();
        sim.addAccount(new Scenario.Account(id, null, List.of(), List.of(), 0,
                Map.of(REGION, new Scenario.Region(null, false, List.of(), List.of()))));
        return id;
    }

    private static String nextAccountId() {
        return String.valueOf(NEXT_ACCOUNT.incrementAndGet());
    }

    private static KeyTruth single(String account) {
        List<KeyTruth> keys = sim.keys(account, REGION);
        assertThat(keys).hasSize(1);
        return keys.get(0);
    }

    private static KeyTruth single(String account, String keyId) {
        return sim.keys(account, REGION).stream().filter(k -> k.id().equals(keyId)).findFirst().orElseThrow();
    }

    private static String arn(String account, String keyId) {
        return "arn:aws:kms:" + REGION + ":" + account + ":key/" + keyId;
    }

    private static KmsClient kms(String account) {
        return aws.kms(REGION, AwsClients.owner(account));
    }

    private static CloudTrailClient cloudTrail(String account) {
        return aws.cloudTrail(REGION, AwsClients.owner(account));
    }
}
