package dev.unusd.spokesim;

import static dev.unusd.spokesim.AwsClients.PROD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

class QuotaIntegrationTest {

    static final String KEY = "11111111-1111-4111-8111-111111111111";

    static SpokeSim sim;
    static AwsClients aws;
    static KmsClient kms;

    @BeforeAll
    static void start() {
        sim = SpokeSim.start(AwsClients.testOrganisation());
        aws = new AwsClients(sim);
        kms = aws.kms("us-east-1", AwsClients.owner(PROD));
    }

    @AfterEach
    void defaults() {
        sim.clearQuotaOverrides();
        sim.setQuotaScale(1.0);
        sim.resetCounters();
    }

    @AfterAll
    static void stop() {
        kms.close();
        sim.stop();
    }

    @Test
    void overQuotaIsThrottlingExceptionAndCounted() {
        sim.resetCounters();
        sim.setQuota("ListKeys", 0.001);
        kms.listKeys();
        assertThatThrownBy(kms::listKeys).isInstanceOfSatisfying(KmsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
            assertThat(e.isThrottlingException()).isTrue();
        });

        CounterSnapshot counters = sim.counters();
        CounterSnapshot.OperationCount listKeys = counters.of(PROD, "us-east-1", "ListKeys");
        assertThat(listKeys.calls()).isEqualTo(2);
        assertThat(listKeys.throttled()).isEqualTo(1);
        assertThat(listKeys.errors()).isEmpty();
        assertThat(counters.calls("ListKeys")).isEqualTo(2);
        assertThat(counters.throttled("ListKeys")).isEqualTo(1);
        assertThat(counters.totalCalls()).isEqualTo(2);
    }

    @Test
    void bucketsArePerAccountAndRegion() {
        sim.setQuota("DescribeKey", 0.001);
        kms.describeKey(r -> r.keyId(KEY));
        try (KmsClient europe = aws.kms("eu-west-1", AwsClients.owner(PROD))) {
            assertThat(europe.describeKey(r -> r.keyId("mrk-0123456789abcdef0123456789abcdef")).keyMetadata()).isNotNull();
        }
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(KEY))).isInstanceOf(KmsException.class);
    }

    @Test
    void getKeyLastUsageAllowsFiveCallsASecondByDefault() {
        // Twenty calls outrun five a second (bucket of five) however slow this machine is today.
        int throttled = 0;
        for (int i = 0; i < 20; i++) {
            try {
                kms.getKeyLastUsage(r -> r.keyId(KEY));
            } catch (KmsException e) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                throttled++;
            }
        }
        assertThat(throttled).isGreaterThan(0);
        assertThat(sim.counters().throttled("GetKeyLastUsage")).isEqualTo(throttled);
        assertThat(sim.quotas()).containsEntry("GetKeyLastUsage", 5.0).containsEntry("LookupEvents", 2.0)
                .containsEntry("Cryptographic", 10000.0);
    }

    @Test
    void cryptographicOperationsShareOneBucket() {
        sim.setQuota("Cryptographic", 0.001);
        kms.encrypt(r -> r.keyId(KEY).plaintext(SdkBytes.fromUtf8String("x")));
        assertThatThrownBy(() -> kms.generateDataKey(r -> r.keyId(KEY).numberOfBytes(16)))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException"));
    }

    @Test
    void lookupEventsAllowsTwoCallsASecond() {
        try (CloudTrailClient cloudTrail = aws.cloudTrail("us-east-1", AwsClients.owner(PROD))) {
            cloudTrail.lookupEvents(r -> r.maxResults(1));
            CloudTrailException throttled = null;
            for (int i = 0; i < 10 && throttled == null; i++) {
                try {
                    cloudTrail.lookupEvents(r -> r.maxResults(1));
                } catch (CloudTrailException e) {
                    throttled = e;
                }
            }
            assertThat(throttled).isNotNull();
            assertThat(throttled.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
            assertThat(throttled.isThrottlingException()).isTrue();
        }
    }

    @Test
    void stsThrottlesPerCallerWithItsOwnCode() {
        sim.setQuota("STS", 0.001);
        try (StsClient sts = aws.sts(AwsClients.hub())) {
            sts.getCallerIdentity();
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                assertThat(e.isThrottlingException()).isTrue();
            });
        }
        assertThat(sim.counters().of("111111111111", "us-east-1", "GetCallerIdentity").throttled()).isEqualTo(1);
    }

    @Test
    void scalingMultipliesEveryDefaultQuota() {
        sim.setQuotaScale(0.001);
        assertThat(sim.quotas().get("GetKeyLastUsage")).isCloseTo(0.005, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(sim.quotas().get("ListKeys")).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
        kms.getKeyLastUsage(r -> r.keyId(KEY));
        assertThatThrownBy(() -> kms.getKeyLastUsage(r -> r.keyId(KEY))).isInstanceOf(KmsException.class);
        assertThat(sim.counters().byOperation()).containsEntry("GetKeyLastUsage", new CounterSnapshot.Totals(2, 1, 0));
    }

    @Test
    void countersCountErrorsByCode() {
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId("alias/missing"))).isInstanceOf(KmsException.class);
        assertThat(sim.counters().of(PROD, "us-east-1", "DescribeKey").errors())
                .isEqualTo(Map.of("NotFoundException", 1L));
    }
}
