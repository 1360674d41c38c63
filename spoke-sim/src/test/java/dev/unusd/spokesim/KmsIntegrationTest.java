package dev.unusd.spokesim;

import static dev.unusd.spokesim.AwsClients.PROD;
import static dev.unusd.spokesim.AwsClients.STAGING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.unusd.spokesim.organisation.SimKey;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.GetKeyLastUsageResponse;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;
import software.amazon.awssdk.services.kms.model.Tag;

class KmsIntegrationTest {

    static final String USED = "11111111-1111-4111-8111-111111111111";
    static final String NEW_UNUSED = "22222222-2222-4222-8222-222222222222";
    static final String OLD_UNUSED = "33333333-3333-4333-8333-333333333333";
    static final String RSA = "44444444-4444-4444-8444-444444444444";
    static final String HMAC = "55555555-5555-4555-8555-555555555555";
    static final String IMPORTED = "66666666-6666-4666-8666-666666666666";
    static final String PENDING_DELETION = "77777777-7777-4777-8777-777777777777";
    static final String MULTI_REGION = "mrk-0123456789abcdef0123456789abcdef";
    static final String AWS_MANAGED = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
    static final String ARN_PREFIX = "arn:aws:kms:us-east-1:123456789012:key/";

    static SpokeSim sim;
    static AwsClients aws;
    static KmsClient kms;

    @BeforeAll
    static void start() {
        sim = SpokeSim.start(AwsClients.testOrganisation());
        // GetKeyLastUsage's 5 per second is QuotaIntegrationTest's subject; here it would make tests depend on order.
        sim.setQuota("GetKeyLastUsage", 1000);
        aws = new AwsClients(sim);
        kms = aws.kms("us-east-1", aws.spokeRole(PROD, "ext-123"));
    }

    @AfterAll
    static void stop() {
        kms.close();
        sim.stop();
    }

    @Test
    void listKeysPagesThroughEveryKeyOfTheRegionIncludingAwsManagedOnes() {
        List<ListKeysResponse> pages = kms.listKeysPaginator(r -> r.limit(5)).stream().toList();

        assertThat(pages).hasSize(3);
        assertThat(pages.get(0).truncated()).isTrue();
        assertThat(pages.get(2).truncated()).isFalse();
        assertThat(pages.get(2).nextMarker()).isNull();
        List<String> ids = pages.stream().flatMap(p -> p.keys().stream()).map(KeyListEntry::keyId).toList();
        assertThat(ids).containsExactly(USED, NEW_UNUSED, OLD_UNUSED, RSA, HMAC, IMPORTED, PENDING_DELETION,
                "88888888-8888-4888-8888-888888888888", AWS_MANAGED, "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb",
                "cccccccc-cccc-4ccc-8ccc-cccccccccccc", MULTI_REGION);
        assertThat(pages.get(0).keys().get(0).keyArn()).isEqualTo(ARN_PREFIX + USED);
    }

    @Test
    void listKeysRejectsLimitsOutOfRangeAndForeignMarkers() {
        assertError(() -> kms.listKeys(r -> r.limit(1001)), "ValidationException",
                "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 1000");
        String aliasesMarker = kms.listAliases(r -> r.limit(1)).nextMarker();
        assertError(() -> kms.listKeys(r -> r.marker(aliasesMarker)), "InvalidMarkerException", "Invalid marker");
        assertError(() -> kms.listKeys(r -> r.marker("garbage")), "InvalidMarkerException", "Invalid marker");
    }

    @Test
    void describeKeyAcceptsKeyIdArnAliasNameAndAliasArn() {
        for (String reference : List.of(USED, ARN_PREFIX + USED, "alias/orders",
                "arn:aws:kms:us-east-1:123456789012:alias/orders-legacy")) {
            assertThat(kms.describeKey(r -> r.keyId(reference)).keyMetadata().keyId()).isEqualTo(USED);
        }
        KeyMetadata m = kms.describeKey(r -> r.keyId(USED)).keyMetadata();
        assertThat(m.awsAccountId()).isEqualTo(PROD);
        assertThat(m.arn()).isEqualTo(ARN_PREFIX + USED);
        assertThat(m.creationDate()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(m.enabled()).isTrue();
        assertThat(m.description()).isEqualTo("orders database");
        assertThat(m.keyUsageAsString()).isEqualTo("ENCRYPT_DECRYPT");
        assertThat(m.keyStateAsString()).isEqualTo("Enabled");
        assertThat(m.originAsString()).isEqualTo("AWS_KMS");
        assertThat(m.keyManagerAsString()).isEqualTo("CUSTOMER");
        assertThat(m.keySpecAsString()).isEqualTo("SYMMETRIC_DEFAULT");
        assertThat(m.customerMasterKeySpecAsString()).isEqualTo("SYMMETRIC_DEFAULT");
        assertThat(m.encryptionAlgorithmsAsStrings()).containsExactly("SYMMETRIC_DEFAULT");
        assertThat(m.multiRegion()).isFalse();
        assertThat(m.deletionDate()).isNull();
    }

    @Test
    void describeKeyShowsPendingDeletionAsymmetricHmacImportedAndAwsManagedKeys() {
        KeyMetadata pending = kms.describeKey(r -> r.keyId(PENDING_DELETION)).keyMetadata();
        assertThat(pending.keyStateAsString()).isEqualTo("PendingDeletion");
        assertThat(pending.enabled()).isFalse();
        assertThat(pending.pendingDeletionWindowInDays()).isEqualTo(30);
        assertThat(pending.deletionDate()).isEqualTo(sim.scenario().account(PROD).region("us-east-1")
                .key(PENDING_DELETION).deletionDate().truncatedTo(ChronoUnit.MILLIS));

        KeyMetadata rsa = kms.describeKey(r -> r.keyId(RSA)).keyMetadata();
        assertThat(rsa.keySpecAsString()).isEqualTo("RSA_2048");
        assertThat(rsa.keyUsageAsString()).isEqualTo("SIGN_VERIFY");
        assertThat(rsa.signingAlgorithmsAsStrings()).contains("RSASSA_PSS_SHA_256", "RSASSA_PKCS1_V1_5_SHA_256");
        assertThat(rsa.encryptionAlgorithms()).isEmpty();

        KeyMetadata hmac = kms.describeKey(r -> r.keyId(HMAC)).keyMetadata();
        assertThat(hmac.keyUsageAsString()).isEqualTo("GENERATE_VERIFY_MAC");
        assertThat(hmac.macAlgorithmsAsStrings()).containsExactly("HMAC_SHA_256");

        assertThat(kms.describeKey(r -> r.keyId(IMPORTED)).keyMetadata().originAsString()).isEqualTo("EXTERNAL");

        KeyMetadata awsManaged = kms.describeKey(r -> r.keyId("alias/aws/s3")).keyMetadata();
        assertThat(awsManaged.keyManagerAsString()).isEqualTo("AWS");
        assertThat(awsManaged.description()).isEqualTo("Default key that protects my S3 data when no other key is defined");
    }

    @Test
    void multiRegionPrimaryAndReplicaDescribeTheSameSet() {
        KeyMetadata primary = kms.describeKey(r -> r.keyId(MULTI_REGION)).keyMetadata();
        assertThat(primary.multiRegion()).isTrue();
        assertThat(primary.multiRegionConfiguration().multiRegionKeyTypeAsString()).isEqualTo("PRIMARY");
        assertThat(primary.multiRegionConfiguration().primaryKey().arn()).isEqualTo(ARN_PREFIX + MULTI_REGION);
        assertThat(primary.multiRegionConfiguration().replicaKeys()).singleElement().satisfies(replica -> {
            assertThat(replica.region()).isEqualTo("eu-west-1");
            assertThat(replica.arn()).isEqualTo("arn:aws:kms:eu-west-1:123456789012:key/" + MULTI_REGION);
        });
        try (KmsClient europe = aws.kms("eu-west-1", aws.spokeRole(PROD, "ext-123"))) {
            KeyMetadata replica = europe.describeKey(r -> r.keyId(MULTI_REGION)).keyMetadata();
            assertThat(replica.arn()).isEqualTo("arn:aws:kms:eu-west-1:123456789012:key/" + MULTI_REGION);
            assertThat(replica.multiRegionConfiguration().multiRegionKeyTypeAsString()).isEqualTo("REPLICA");
            assertThat(replica.multiRegionConfiguration().primaryKey().region()).isEqualTo("us-east-1");
            GetKeyRotationStatusResponse rotation = europe.getKeyRotationStatus(r -> r.keyId(MULTI_REGION));
            assertThat(rotation.keyRotationEnabled()).isTrue();
            assertThat(rotation.rotationPeriodInDays()).isEqualTo(365);
        }
    }

    @Test
    void regionComesFromTheCredentialScope() {
        try (KmsClient europe = aws.kms("eu-west-1", aws.spokeRole(PROD, "ext-123"))) {
            assertThat(europe.listKeys().keys()).extracting(KeyListEntry::keyArn)
                    .containsExactly("arn:aws:kms:eu-west-1:123456789012:key/" + MULTI_REGION);
            assertError(() -> europe.describeKey(r -> r.keyId(USED)), "NotFoundException",
                    "Key 'arn:aws:kms:eu-west-1:123456789012:key/" + USED + "' does not exist");
        }
        try (KmsClient elsewhere = aws.kms("sa-east-1", aws.spokeRole(PROD, "ext-123"))) {
            assertThat(elsewhere.listKeys().keys()).isEmpty();
        }
    }

    @Test
    void unknownKeysAndMalformedArnsAreNotFoundAndInvalidArn() {
        assertError(() -> kms.describeKey(r -> r.keyId("99999999-9999-4999-8999-999999999999")), "NotFoundException",
                "Key '" + ARN_PREFIX + "99999999-9999-4999-8999-999999999999' does not exist");
        assertError(() -> kms.describeKey(r -> r.keyId("arn:aws:kms:us-east-1:123456789012:nonsense")),
                "InvalidArnException", "ARN arn:aws:kms:us-east-1:123456789012:nonsense is not a valid KMS key or alias ARN");
        assertError(() -> kms.describeKey(r -> r.keyId("alias/nope")), "NotFoundException",
                "Alias arn:aws:kms:us-east-1:123456789012:alias/nope is not found.");
    }

    @Test
    void callsThatTakeOnlyAKeyIdOrKeyArnRefuseAliases() {
        String aliasArn = "arn:aws:kms:us-east-1:123456789012:alias/orders";
        for (String alias : List.of("alias/orders", aliasArn)) {
            assertError(() -> kms.getKeyRotationStatus(r -> r.keyId(alias)), "NotFoundException", "Invalid keyId " + alias);
            assertError(() -> kms.getKeyLastUsage(r -> r.keyId(alias)), "NotFoundException", "Invalid keyId " + alias);
            assertError(() -> kms.listResourceTags(r -> r.keyId(alias)), "NotFoundException", "Invalid keyId " + alias);
            assertError(() -> kms.listKeyRotations(r -> r.keyId(alias)), "NotFoundException", "Invalid keyId " + alias);
        }
        assertThat(kms.getKeyRotationStatus(r -> r.keyId(ARN_PREFIX + USED)).keyRotationEnabled()).isTrue();
        assertThat(kms.getKeyLastUsage(r -> r.keyId(USED)).keyLastUsage().operationAsString()).isEqualTo("Decrypt");
    }

    @Test
    void rotationStatusForRotatingNotRotatingUnsupportedAndPendingDeletionKeys() {
        Scenario.Key used = sim.scenario().account(PROD).region("us-east-1").key(USED);
        GetKeyRotationStatusResponse on = kms.getKeyRotationStatus(r -> r.keyId(USED));
        assertThat(on.keyRotationEnabled()).isTrue();
        assertThat(on.keyId()).isEqualTo(ARN_PREFIX + USED);
        assertThat(on.rotationPeriodInDays()).isEqualTo(90);
        assertThat(on.nextRotationDate()).isEqualTo(used.rotation().nextRotationAt().truncatedTo(ChronoUnit.MILLIS));

        GetKeyRotationStatusResponse off = kms.getKeyRotationStatus(r -> r.keyId(NEW_UNUSED));
        assertThat(off.keyRotationEnabled()).isFalse();
        assertThat(off.rotationPeriodInDays()).isNull();
        assertThat(off.nextRotationDate()).isNull();

        assertThat(kms.getKeyRotationStatus(r -> r.keyId(AWS_MANAGED)).keyRotationEnabled()).isTrue();
        assertError(() -> kms.getKeyRotationStatus(r -> r.keyId(RSA)), "UnsupportedOperationException",
                ARN_PREFIX + RSA + " key spec RSA_2048 is not supported for this operation.");
        assertError(() -> kms.getKeyRotationStatus(r -> r.keyId(IMPORTED)), "UnsupportedOperationException",
                ARN_PREFIX + IMPORTED + " origin EXTERNAL is not supported for this operation.");
        assertError(() -> kms.getKeyRotationStatus(r -> r.keyId(PENDING_DELETION)), "KMSInvalidStateException",
                ARN_PREFIX + PENDING_DELETION + " is pending deletion.");
    }

    @Test
    void listAliasesIncludesAwsAliasesAndAliasesWithoutTarget() {
        List<AliasListEntry> aliases = kms.listAliasesPaginator(r -> r.limit(2)).aliases().stream().toList();
        assertThat(aliases).extracting(AliasListEntry::aliasName)
                .containsExactly("alias/aws/dynamodb", "alias/aws/s3", "alias/orders", "alias/orders-legacy");
        assertThat(aliases.get(0).targetKeyId()).isNull();
        assertThat(aliases.get(1).targetKeyId()).isEqualTo(AWS_MANAGED);
        assertThat(aliases.get(2).aliasArn()).isEqualTo("arn:aws:kms:us-east-1:123456789012:alias/orders");
        assertThat(kms.listAliases(r -> r.keyId(USED)).aliases()).extracting(AliasListEntry::aliasName)
                .containsExactly("alias/orders", "alias/orders-legacy");
        assertError(() -> kms.listAliases(r -> r.limit(101)), "ValidationException",
                "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 100");
    }

    @Test
    void listResourceTagsPagesThroughTagsAndIsEmptyForAwsManagedKeys() {
        List<Tag> tags = kms.listResourceTagsPaginator(r -> r.keyId(USED).limit(2)).stream()
                .flatMap(p -> p.tags().stream()).toList();
        assertThat(tags).extracting(Tag::tagKey).containsExactly("team", "env", "cost-centre", "owner", "unusd");
        assertThat(tags.get(4).tagValue()).isEqualTo("true");
        assertThat(kms.listResourceTags(r -> r.keyId(AWS_MANAGED)).tags()).isEmpty();
        assertError(() -> kms.listResourceTags(r -> r.keyId(USED).limit(51)), "ValidationException",
                "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 50");
    }

    @Test
    void listKeyRotationsPagesThroughRotationsOnePeriodApart() {
        Instant next = sim.scenario().account(PROD).region("us-east-1").key(USED).rotation().nextRotationAt();
        List<RotationsListEntry> rotations = kms.listKeyRotationsPaginator(r -> r.keyId(USED).limit(2)).stream()
                .flatMap(p -> p.rotations().stream()).toList();
        assertThat(rotations).extracting(RotationsListEntry::rotationDate).containsExactly(
                next.minus(Duration.ofDays(270)).truncatedTo(ChronoUnit.MILLIS),
                next.minus(Duration.ofDays(180)).truncatedTo(ChronoUnit.MILLIS),
                next.minus(Duration.ofDays(90)).truncatedTo(ChronoUnit.MILLIS));
        assertThat(rotations).extracting(RotationsListEntry::rotationTypeAsString).containsOnly("AUTOMATIC");
        assertThat(rotations).extracting(RotationsListEntry::keyId).containsOnly(USED);
        assertError(() -> kms.listKeyRotations(r -> r.keyId(HMAC)), "UnsupportedOperationException",
                ARN_PREFIX + HMAC + " key spec HMAC_256 is not supported for this operation.");
    }

    @Test
    void describeKeyReportsTheCurrentKeyMaterialOfKeysThatRotate() {
        String current = kms.describeKey(r -> r.keyId(USED)).keyMetadata().currentKeyMaterialId();
        assertThat(current).matches("[0-9a-f]{64}");
        assertThat(kms.describeKey(r -> r.keyId(ARN_PREFIX + USED)).keyMetadata().currentKeyMaterialId())
                .isEqualTo(current);
        // Three rotations: the third one's material is current.
        assertThat(current).isEqualTo(SimKey.keyMaterialId(USED, 3));
        assertThat(kms.describeKey(r -> r.keyId(NEW_UNUSED)).keyMetadata().currentKeyMaterialId())
                .isEqualTo(SimKey.keyMaterialId(NEW_UNUSED, 0)).isNotEqualTo(current);
        assertThat(kms.describeKey(r -> r.keyId(AWS_MANAGED)).keyMetadata().currentKeyMaterialId()).matches("[0-9a-f]{64}");
        // Imported key material rotates on demand: a single-Region symmetric key with it reports its material too.
        assertThat(kms.describeKey(r -> r.keyId(IMPORTED)).keyMetadata().currentKeyMaterialId())
                .isEqualTo(SimKey.keyMaterialId(IMPORTED, 0));
        for (String cannotRotate : List.of(RSA, HMAC)) {
            assertThat(kms.describeKey(r -> r.keyId(cannotRotate)).keyMetadata().currentKeyMaterialId()).isNull();
        }
    }

    @Test
    void listKeyRotationsListsImportedKeyMaterialWithItsImportState() {
        List<RotationsListEntry> all = kms.listKeyRotations(r -> r.keyId(IMPORTED)
                .includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL)).rotations();
        assertThat(all).singleElement().satisfies(initial -> {
            assertThat(initial.keyMaterialId()).isEqualTo(SimKey.keyMaterialId(IMPORTED, 0));
            assertThat(initial.keyMaterialStateAsString()).isEqualTo("CURRENT");
            assertThat(initial.importStateAsString()).isEqualTo("IMPORTED");
            assertThat(initial.expirationModelAsString()).isEqualTo("KEY_MATERIAL_DOES_NOT_EXPIRE");
            assertThat(initial.rotationDate()).isNull();
        });
        assertThat(kms.listKeyRotations(r -> r.keyId(IMPORTED)).rotations()).isEmpty();
        // Key material from KMS has no import state.
        assertThat(kms.listKeyRotations(r -> r.keyId(USED)).rotations()).extracting(RotationsListEntry::importState)
                .containsOnlyNulls();
    }

    @Test
    void listKeyRotationsListsKeyMaterialsWithTheInitialOneOnlyWhenAskedFor() {
        List<RotationsListEntry> all = kms.listKeyRotationsPaginator(r -> r.keyId(USED).limit(3)
                .includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL)).stream()
                .flatMap(p -> p.rotations().stream()).toList();
        assertThat(all).hasSize(4);
        assertThat(all).extracting(RotationsListEntry::keyId).containsOnly(USED);
        assertThat(all).extracting(RotationsListEntry::keyMaterialId).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).matches("[0-9a-f]{64}"));
        assertThat(all).extracting(RotationsListEntry::keyMaterialStateAsString)
                .containsExactly("NON_CURRENT", "NON_CURRENT", "NON_CURRENT", "CURRENT");
        assertThat(all.get(3).keyMaterialId())
                .isEqualTo(kms.describeKey(r -> r.keyId(USED)).keyMetadata().currentKeyMaterialId());
        assertThat(all.get(0).rotationDate()).isNull();
        assertThat(all.get(0).rotationType()).isNull();
        assertThat(all.subList(1, 4)).allSatisfy(rotation -> {
            assertThat(rotation.rotationDate()).isNotNull();
            assertThat(rotation.rotationTypeAsString()).isEqualTo("AUTOMATIC");
        });

        List<RotationsListEntry> rotationsOnly = kms.listKeyRotations(r -> r.keyId(USED)
                .includeKeyMaterial(IncludeKeyMaterial.ROTATIONS_ONLY)).rotations();
        assertThat(rotationsOnly).isEqualTo(all.subList(1, 4));
        assertThat(kms.listKeyRotations(r -> r.keyId(USED)).rotations()).isEqualTo(rotationsOnly);

        assertThat(kms.listKeyRotations(r -> r.keyId(NEW_UNUSED)).rotations()).isEmpty();
        assertThat(kms.listKeyRotations(r -> r.keyId(NEW_UNUSED).includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL))
                .rotations()).singleElement().satisfies(initial -> {
                    assertThat(initial.keyMaterialStateAsString()).isEqualTo("CURRENT");
                    assertThat(initial.rotationDate()).isNull();
                });

        assertError(() -> kms.listKeyRotations(r -> r.keyId(USED).includeKeyMaterial("EVERYTHING")),
                "ValidationException", "1 validation error detected: Value 'EVERYTHING' at 'includeKeyMaterial' failed "
                        + "to satisfy constraint: Member must satisfy enum value set: [ALL_KEY_MATERIAL, ROTATIONS_ONLY]");
    }

    @Test
    void aReplicaReportsTheKeyMaterialOfItsPrimary() {
        // Rotated on the primary only: the replica shares the new material.
        sim.rotateKeyNow(PROD, "us-east-1", MULTI_REGION);
        KeyMetadata primary = kms.describeKey(r -> r.keyId(MULTI_REGION)).keyMetadata();
        List<RotationsListEntry> primaryMaterials = kms.listKeyRotations(r -> r.keyId(MULTI_REGION)
                .includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL)).rotations();
        assertThat(primaryMaterials).hasSizeGreaterThanOrEqualTo(2);
        assertThat(primary.currentKeyMaterialId()).isEqualTo(primaryMaterials.getLast().keyMaterialId());
        try (KmsClient europe = aws.kms("eu-west-1", aws.spokeRole(PROD, "ext-123"))) {
            assertThat(europe.describeKey(r -> r.keyId(MULTI_REGION)).keyMetadata().currentKeyMaterialId())
                    .isEqualTo(primary.currentKeyMaterialId());
            assertThat(europe.listKeyRotations(r -> r.keyId(MULTI_REGION)
                    .includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL)).rotations())
                    .isEqualTo(primaryMaterials);
        }
    }

    @Test
    void getKeyLastUsageInItsThreeShapes() {
        Scenario.Region region = sim.scenario().account(PROD).region("us-east-1");
        Instant trackingStart = region.trackingStartDate().truncatedTo(ChronoUnit.MILLIS);

        GetKeyLastUsageResponse used = kms.getKeyLastUsage(r -> r.keyId(USED));
        assertThat(used.keyId()).isEqualTo(ARN_PREFIX + USED);
        assertThat(used.keyLastUsage().operationAsString()).isEqualTo("Decrypt");
        assertThat(used.keyLastUsage().timestamp())
                .isEqualTo(region.key(USED).lastUsage().at().truncatedTo(ChronoUnit.MILLIS));
        assertThat(used.keyLastUsage().cloudTrailEventId()).hasSize(36);
        assertThat(used.keyLastUsage().kmsRequestId()).hasSize(36);
        assertThat(used.trackingStartDate()).isEqualTo(trackingStart);
        assertThat(used.keyCreationDate()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));

        GetKeyLastUsageResponse neverUsed = kms.getKeyLastUsage(r -> r.keyId(NEW_UNUSED));
        assertThat(neverUsed.keyLastUsage()).isNull();
        assertThat(neverUsed.keyCreationDate()).isAfterOrEqualTo(neverUsed.trackingStartDate());

        GetKeyLastUsageResponse unknownBefore = kms.getKeyLastUsage(r -> r.keyId(OLD_UNUSED));
        assertThat(unknownBefore.keyLastUsage()).isNull();
        assertThat(unknownBefore.keyCreationDate()).isBefore(unknownBefore.trackingStartDate());
        assertThat(unknownBefore.trackingStartDate()).isEqualTo(trackingStart);
    }

    @Test
    void theSpokeRoleMayDoExactlyWhatTheTemplateGrants() {
        assertThat(SpokeSim.templateActions()).contains("kms:ListKeys", "kms:GetKeyLastUsage", "cloudtrail:LookupEvents")
                .doesNotContain("kms:Encrypt");
        assertError(() -> kms.encrypt(r -> r.keyId(USED).plaintext(software.amazon.awssdk.core.SdkBytes.fromUtf8String("x"))),
                "AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/UnusdSpokeRole/unusd-scan is not "
                        + "authorized to perform: kms:Encrypt on resource: " + ARN_PREFIX + USED
                        + " because no identity-based policy allows the kms:Encrypt action");
    }

    @Test
    void aRoleWithoutAnActionGetsAccessDeniedNamingIt() {
        try (KmsClient narrow = aws.kms("us-east-1", aws.assume(STAGING, "NarrowRole", "ext-narrow"))) {
            assertThat(narrow.listKeys().keys()).hasSize(1);
            String key = "arn:aws:kms:us-east-1:210987654321:key/dddddddd-dddd-4ddd-8ddd-dddddddddddd";
            assertThatThrownBy(() -> narrow.describeKey(r -> r.keyId(key)))
                    .isInstanceOfSatisfying(KmsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: "
                                + "arn:aws:sts::210987654321:assumed-role/NarrowRole/unusd-scan is not authorized to "
                                + "perform: kms:DescribeKey on resource: " + key
                                + " because no identity-based policy allows the kms:DescribeKey action");
                    });
        }
    }

    @Test
    void unknownAccessKeysAreUnrecognizedClients() {
        AwsCredentials stranger = AwsBasicCredentials.create("AKIASTRANGER00000000", "secret");
        try (KmsClient strangerKms = aws.kms("us-east-1", stranger)) {
            assertError(strangerKms::listKeys, "UnrecognizedClientException",
                    "The security token included in the request is invalid.");
        }
    }

    static void assertError(Executable call, String code, String message) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(KmsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
    }
}
