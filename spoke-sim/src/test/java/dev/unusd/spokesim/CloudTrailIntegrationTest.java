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

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.EventCategory;
import software.amazon.awssdk.services.cloudtrail.model.InvalidEventCategoryException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidLookupAttributesException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidMaxResultsException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidTimeRangeException;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.kms.KmsClient;

class CloudTrailIntegrationTest {

    static final String ARN_PREFIX = "arn:aws:kms:us-east-1:123456789012:key/";
    /** Has 60 noise events, 4 scenario entries (one older than 90 days) and is never called here. */
    static final String HISTORY_KEY = ARN_PREFIX + "33333333-3333-4333-8333-333333333333";

    static SpokeSim sim;
    static AwsClients aws;
    static AwsCredentials spoke;
    static CloudTrailClient cloudTrail;

    @BeforeAll
    static void start() {
        sim = SpokeSim.start(AwsClients.testOrganisation());
        sim.setQuota("LookupEvents", 1000);
        aws = new AwsClients(sim);
        spoke = aws.spokeRole(PROD, "ext-123");
        cloudTrail = aws.cloudTrail("us-east-1", spoke);
    }

    @AfterAll
    static void stop() {
        cloudTrail.close();
        sim.stop();
    }

    @Test
    void eventsOnAKeyComeNewestFirstInPagesOfFiftyForTheLast90Days() {
        List<LookupEventsResponse> pages = cloudTrail.lookupEventsPaginator(r -> r.lookupAttributes(resourceName()))
                .stream().toList();

        assertThat(pages).hasSize(2);
        assertThat(pages.get(0).events()).hasSize(50);
        assertThat(pages.get(1).events()).hasSize(13);
        assertThat(pages.get(1).nextToken()).isNull();
        List<Event> events = pages.stream().flatMap(p -> p.events().stream()).toList();
        assertThat(events).extracting(Event::eventTime).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(events).extracting(Event::eventTime)
                .allMatch(t -> t.isAfter(Instant.now().minus(Duration.ofDays(90))));
        assertThat(events).allSatisfy(e -> {
            assertThat(e.eventSource()).isEqualTo("kms.amazonaws.com");
            assertThat(e.resources()).singleElement().satisfies(r -> {
                assertThat(r.resourceType()).isEqualTo("AWS::KMS::Key");
                assertThat(r.resourceName()).isEqualTo(HISTORY_KEY);
            });
        });
    }

    @Test
    void cryptographicEventsCarryTheirErrorCodeWhenTheyFailed() {
        List<Event> events = TrailEvents.onKey(cloudTrail, HISTORY_KEY);
        Event encrypt = events.stream().filter(e -> e.eventName().equals("Encrypt")).findFirst().orElseThrow();
        Event failedDecrypt = events.stream().filter(e -> e.eventName().equals("Decrypt")).findFirst().orElseThrow();

        Map<String, Object> ok = TrailEvents.document(encrypt);
        assertThat(ok).containsEntry("eventVersion", "1.08").containsEntry("eventSource", "kms.amazonaws.com")
                .containsEntry("eventName", "Encrypt").containsEntry("awsRegion", "us-east-1")
                .containsEntry("readOnly", true).containsEntry("eventType", "AwsApiCall")
                .containsEntry("managementEvent", true).containsEntry("recipientAccountId", PROD)
                .containsEntry("eventID", encrypt.eventId()).doesNotContainKey("errorCode");
        assertThat(ok.get("requestParameters")).isEqualTo(Map.of("keyId", HISTORY_KEY));
        assertThat(ok.get("resources")).isEqualTo(List.of(Map.of("accountId", PROD, "type", "AWS::KMS::Key",
                "ARN", HISTORY_KEY)));
        assertThat(((Map<?, ?>) ok.get("userIdentity")).get("type")).isEqualTo("AssumedRole");

        assertThat(TrailEvents.document(failedDecrypt)).containsEntry("errorCode", "DisabledException");
        assertThat(encrypt.eventTime()).isBefore(Instant.now().minus(Duration.ofDays(44)));
    }

    @Test
    void theSpokeRolesOwnCallsOnAKeyAreEventsOnThatKey() {
        String key = ARN_PREFIX + "11111111-1111-4111-8111-111111111111";
        try (KmsClient kms = aws.kms("us-east-1", spoke)) {
            kms.describeKey(r -> r.keyId(key));
            kms.getKeyRotationStatus(r -> r.keyId(key));
            kms.listResourceTags(r -> r.keyId(key));
            kms.listKeyRotations(r -> r.keyId(key));
            kms.getKeyLastUsage(r -> r.keyId(key));
        }
        List<Event> events = TrailEvents.onKey(cloudTrail, key);
        assertThat(events.subList(0, 5)).extracting(Event::eventName).containsExactly("GetKeyLastUsage",
                "ListKeyRotations", "ListResourceTags", "GetKeyRotationStatus", "DescribeKey");
        Event describe = events.get(4);
        assertThat(describe.username()).isEqualTo("unusd-scan");
        assertThat(describe.accessKeyId()).isEqualTo(spoke.accessKeyId());
        assertThat(describe.readOnly()).isEqualTo("true");
        Map<?, ?> identity = (Map<?, ?>) TrailEvents.document(describe).get("userIdentity");
        assertThat(identity.get("arn")).isEqualTo("arn:aws:sts::123456789012:assumed-role/UnusdSpokeRole/unusd-scan");
        assertThat(((Map<?, ?>) ((Map<?, ?>) identity.get("sessionContext")).get("sessionIssuer")).get("arn"))
                .isEqualTo("arn:aws:iam::123456789012:role/UnusdSpokeRole");

        assertThat(TrailEvents.lookup(cloudTrail, LookupAttributeKey.ACCESS_KEY_ID, spoke.accessKeyId()))
                .extracting(Event::eventName).contains("DescribeKey", "GetKeyLastUsage");
    }

    @Test
    void everyLookupAttributeFilters() {
        List<Event> history = TrailEvents.onKey(cloudTrail, HISTORY_KEY);
        Event any = history.get(7);
        assertThat(TrailEvents.lookup(cloudTrail, LookupAttributeKey.EVENT_ID, any.eventId()))
                .singleElement().extracting(Event::eventId).isEqualTo(any.eventId());
        assertThat(TrailEvents.lookup(cloudTrail, LookupAttributeKey.EVENT_NAME, "Encrypt"))
                .extracting(Event::eventTime).singleElement()
                .satisfies(t -> assertThat(t).isBefore(Instant.now().minus(Duration.ofDays(44))));
        assertThat(TrailEvents.lookup(cloudTrail, LookupAttributeKey.READ_ONLY, "false"))
                .extracting(Event::eventName).containsExactly("DisableKey");
        assertThat(TrailEvents.lookup(cloudTrail, LookupAttributeKey.USERNAME, "admin"))
                .hasSizeGreaterThanOrEqualTo(61).extracting(Event::username).containsOnly("admin");
        assertThat(TrailEvents.lookup(cloudTrail, LookupAttributeKey.EVENT_SOURCE, "kms.amazonaws.com"))
                .hasSizeGreaterThanOrEqualTo(history.size());
        assertThat(TrailEvents.lookup(cloudTrail, LookupAttributeKey.RESOURCE_TYPE, "AWS::KMS::Key"))
                .hasSizeGreaterThanOrEqualTo(history.size());
        assertThat(TrailEvents.lookup(cloudTrail, LookupAttributeKey.EVENT_SOURCE, "s3.amazonaws.com")).isEmpty();
    }

    @Test
    void aTimeRangeNarrowsTheHistoryButNeverReachesBeyond90Days() {
        Instant now = Instant.now();
        List<Event> window = cloudTrail.lookupEventsPaginator(r -> r.lookupAttributes(resourceName())
                .startTime(now.minus(Duration.ofDays(46))).endTime(now.minus(Duration.ofDays(39)))).events().stream()
                .toList();
        assertThat(window).filteredOn(e -> !e.username().equals("admin") || e.eventName().equals("DisableKey"))
                .extracting(Event::eventName).containsExactly("Decrypt", "DisableKey", "Encrypt");
        assertThat(window).extracting(Event::eventTime).allMatch(t -> t.isAfter(now.minus(Duration.ofDays(46)))
                && t.isBefore(now.minus(Duration.ofDays(39))));

        List<Event> beyond = cloudTrail.lookupEventsPaginator(r -> r.lookupAttributes(resourceName())
                .startTime(now.minus(Duration.ofDays(120)))).events().stream().toList();
        assertThat(beyond).hasSize(63);
    }

    @Test
    void invalidRequestsGetCloudTrailsErrors() {
        LookupAttribute other = LookupAttribute.builder().attributeKey(LookupAttributeKey.EVENT_NAME)
                .attributeValue("Encrypt").build();
        assertThatThrownBy(() -> cloudTrail.lookupEvents(r -> r.lookupAttributes(resourceName(), other)))
                .isInstanceOfSatisfying(InvalidLookupAttributesException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("You can only specify one lookup attribute.");
                });
        Instant now = Instant.now();
        assertThatThrownBy(() -> cloudTrail.lookupEvents(r -> r.startTime(now).endTime(now.minusSeconds(60))))
                .isInstanceOf(InvalidTimeRangeException.class);
        assertThatThrownBy(() -> cloudTrail.lookupEvents(r -> r.maxResults(51)))
                .isInstanceOf(InvalidMaxResultsException.class);
        assertThatThrownBy(() -> cloudTrail.lookupEvents(r -> r.maxResults(0)))
                .isInstanceOf(InvalidMaxResultsException.class);

        String token = cloudTrail.lookupEvents(r -> r.lookupAttributes(resourceName()).maxResults(5)).nextToken();
        assertThat(cloudTrail.lookupEvents(r -> r.lookupAttributes(resourceName()).maxResults(5).nextToken(token))
                .events()).hasSize(5);
        assertThatThrownBy(() -> cloudTrail.lookupEvents(r -> r.lookupAttributes(other).nextToken(token)))
                .isInstanceOfSatisfying(InvalidNextTokenException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidNextTokenException"));
    }

    @Test
    void askingForInsightsEventsFindsNoneAndOtherCategoriesAreInvalid() {
        assertThat(cloudTrail.lookupEvents(r -> r.eventCategory(EventCategory.INSIGHT)).events()).isEmpty();
        assertThat(cloudTrail.lookupEvents(r -> r.eventCategory(EventCategory.INSIGHT).lookupAttributes(resourceName()))
                .events()).isEmpty();
        assertThat(cloudTrail.lookupEvents(r -> r.lookupAttributes(resourceName())).events()).hasSize(50);

        assertThatThrownBy(() -> cloudTrail.lookupEvents(r -> r.eventCategory("management")))
                .isInstanceOfSatisfying(InvalidEventCategoryException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Event category management is not valid. The only valid value is insight.");
                });
    }

    @Test
    void aDeniedRegionAnswersAccessDenied() {
        sim.setCloudTrailDenied(PROD, "eu-west-1", true);
        try (CloudTrailClient europe = aws.cloudTrail("eu-west-1", spoke)) {
            assertThatThrownBy(() -> europe.lookupEvents(r -> r.maxResults(1)))
                    .isInstanceOfSatisfying(CloudTrailException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:sts::123456789012:"
                                + "assumed-role/UnusdSpokeRole/unusd-scan is not authorized to perform: "
                                + "cloudtrail:LookupEvents with an explicit deny in a service control policy");
                    });
            sim.setCloudTrailDenied(PROD, "eu-west-1", false);
            assertThat(europe.lookupEvents(r -> r.maxResults(1)).events()).isEmpty();
        }
    }

    private static LookupAttribute resourceName() {
        return LookupAttribute.builder().attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(HISTORY_KEY).build();
    }
}
