package dev.unusd.spokesim;

import static dev.unusd.spokesim.AwsClients.PROD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.GetKeyLastUsageResponse;
import software.amazon.awssdk.services.kms.model.KmsException;

/** The owner uses keys through the SDK; the use shows in GetKeyLastUsage and in CloudTrail, as on AWS. */
class KeyUseIntegrationTest {

    static final String ARN_PREFIX = "arn:aws:kms:us-east-1:123456789012:key/";
    static final String NEW_KEY = "22222222-2222-4222-8222-222222222222";
    static final String DISABLED = "88888888-8888-4888-8888-888888888888";

    static SpokeSim sim;
    static KmsClient kms;
    static CloudTrailClient cloudTrail;

    @BeforeAll
    static void start() {
        sim = SpokeSim.start(AwsClients.testOrganisation());
        sim.setQuotaScale(1000);
        AwsClients aws = new AwsClients(sim);
        kms = aws.kms("us-east-1", AwsClients.owner(PROD));
        cloudTrail = aws.cloudTrail("us-east-1", AwsClients.owner(PROD));
    }

    @AfterAll
    static void stop() {
        kms.close();
        cloudTrail.close();
        sim.stop();
    }

    @Test
    void encryptDecryptAndGenerateDataKeyRoundTripAndRecordTheLastUse() {
        Instant before = Instant.now().minusMillis(1);
        EncryptResponse encrypted = kms.encrypt(r -> r.keyId("alias/orders").plaintext(SdkBytes.fromUtf8String("card 4242")));
        assertThat(encrypted.keyId()).isEqualTo(ARN_PREFIX + "11111111-1111-4111-8111-111111111111");
        assertThat(encrypted.encryptionAlgorithmAsString()).isEqualTo("SYMMETRIC_DEFAULT");

        DecryptResponse decrypted = kms.decrypt(r -> r.ciphertextBlob(encrypted.ciphertextBlob()));
        assertThat(decrypted.plaintext().asUtf8String()).isEqualTo("card 4242");
        assertThat(decrypted.keyId()).isEqualTo(encrypted.keyId());

        GenerateDataKeyResponse dataKey = kms.generateDataKey(r -> r.keyId(NEW_KEY).keySpec("AES_256"));
        assertThat(dataKey.plaintext().asByteArray()).hasSize(32);
        assertThat(kms.decrypt(r -> r.ciphertextBlob(dataKey.ciphertextBlob())).plaintext())
                .isEqualTo(dataKey.plaintext());

        GetKeyLastUsageResponse usage = kms.getKeyLastUsage(r -> r.keyId(NEW_KEY));
        assertThat(usage.keyLastUsage().operationAsString()).isEqualTo("Decrypt");
        assertThat(usage.keyLastUsage().timestamp()).isAfter(before);
        assertThat(usage.keyLastUsage().kmsRequestId()).hasSize(36);

        List<Event> events = TrailEvents.onKey(cloudTrail, ARN_PREFIX + NEW_KEY);
        assertThat(events).extracting(Event::eventName).startsWith("GetKeyLastUsage", "Decrypt", "GenerateDataKey");
        Event decrypt = events.get(1);
        assertThat(decrypt.eventId()).isEqualTo(usage.keyLastUsage().cloudTrailEventId());
        assertThat(decrypt.readOnly()).isEqualTo("true");
        assertThat(decrypt.username()).isEqualTo("owner");
        assertThat(decrypt.accessKeyId()).isEqualTo("AKIAOWNER" + PROD);
        Map<String, Object> document = TrailEvents.document(decrypt);
        assertThat(document).containsEntry("eventName", "Decrypt").containsEntry("awsRegion", "us-east-1")
                .doesNotContainKey("errorCode");
    }

    @Test
    void usingADisabledKeyFailsAndLeavesAFailedEventButNoUse() {
        assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(DISABLED).plaintext(SdkBytes.fromUtf8String("x"))))
                .isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DisabledException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(ARN_PREFIX + DISABLED + " is disabled.");
                });
        assertThat(kms.getKeyLastUsage(r -> r.keyId(DISABLED)).keyLastUsage()).isNull();

        Event failed = TrailEvents.onKey(cloudTrail, ARN_PREFIX + DISABLED).stream()
                .filter(e -> e.eventName().equals("Encrypt")).findFirst().orElseThrow();
        assertThat(TrailEvents.document(failed)).containsEntry("errorCode", "DisabledException")
                .containsEntry("errorMessage", ARN_PREFIX + DISABLED + " is disabled.");
    }

    @Test
    void keysPendingDeletionOrOfTheWrongUsageCannotEncrypt() {
        assertCode(() -> kms.encrypt(r -> r.keyId("77777777-7777-4777-8777-777777777777")
                .plaintext(SdkBytes.fromUtf8String("x"))), "KMSInvalidStateException");
        assertCode(() -> kms.encrypt(r -> r.keyId("44444444-4444-4444-8444-444444444444")
                .plaintext(SdkBytes.fromUtf8String("x"))), "InvalidKeyUsageException");
        assertCode(() -> kms.generateDataKey(r -> r.keyId("55555555-5555-4555-8555-555555555555").numberOfBytes(32)),
                "InvalidKeyUsageException");
        assertCode(() -> kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromUtf8String("not ours"))),
                "InvalidCiphertextException");
    }

    @Test
    void useBeforeTrackingStartsIsInCloudTrailOnly() {
        String key = "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee";
        try (KmsClient west = new AwsClients(sim).kms("us-west-2", AwsClients.owner(PROD));
             CloudTrailClient westTrail = new AwsClients(sim).cloudTrail("us-west-2", AwsClients.owner(PROD))) {
            west.encrypt(r -> r.keyId(key).plaintext(SdkBytes.fromUtf8String("x")));

            GetKeyLastUsageResponse usage = west.getKeyLastUsage(r -> r.keyId(key));
            assertThat(usage.keyLastUsage()).isNull();
            assertThat(usage.trackingStartDate()).isAfter(Instant.now());
            assertThat(TrailEvents.onKey(westTrail, "arn:aws:kms:us-west-2:123456789012:key/" + key))
                    .extracting(Event::eventName).contains("Encrypt");
        }
    }

    @Test
    void theFixtureUsesAKeyLikeItsOwner() {
        String key = "33333333-3333-4333-8333-333333333333";
        sim.useKey(PROD, "us-east-1", key, "GenerateDataKey");

        GetKeyLastUsageResponse usage = kms.getKeyLastUsage(r -> r.keyId(key));
        assertThat(usage.keyLastUsage().operationAsString()).isEqualTo("GenerateDataKey");
        assertThat(Duration.between(usage.keyLastUsage().timestamp(), Instant.now())).isLessThan(Duration.ofMinutes(1));
        assertThat(sim.lastUsed(PROD, "us-east-1", key).map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)))
                .contains(usage.keyLastUsage().timestamp());
        assertThatThrownBy(() -> sim.useKey(PROD, "us-east-1", DISABLED, "Decrypt"))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("DisabledException");
    }

    private static void assertCode(org.junit.jupiter.api.function.Executable call, String code) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(KmsException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code));
    }
}
