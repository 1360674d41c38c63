package dev.unusd.spokesim;

import static dev.unusd.spokesim.AwsClients.PROD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import tools.jackson.databind.json.JsonMapper;

/** Simulated time moves forward on request, and everything the simulator answers follows it. */
class ClockIntegrationTest {

    static final String HISTORY_KEY = "arn:aws:kms:us-east-1:123456789012:key/33333333-3333-4333-8333-333333333333";

    static SpokeSim sim;
    static AwsClients aws;

    @BeforeAll
    static void start() {
        sim = SpokeSim.start(AwsClients.testOrganisation());
        sim.setQuotaScale(1000);
        aws = new AwsClients(sim);
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void advancingTheClockMovesNowForward() {
        Instant before = sim.now();
        sim.advanceClock(Duration.ofDays(3));
        assertThat(Duration.between(before, sim.now())).isBetween(Duration.ofDays(3), Duration.ofDays(3).plusSeconds(5));
        assertThatThrownBy(() -> sim.advanceClock(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resettingTheClockGoesBackToSystemTime() {
        try (SpokeSim own = SpokeSim.start(Scenario.of(List.of()))) {
            own.advanceClock(Duration.ofDays(40));
            assertThat(own.now()).isAfter(Instant.now().plus(Duration.ofDays(39)));
            own.resetClock();
            assertThat(Duration.between(Instant.now(), own.now()).abs()).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void cloudTrailKeepsNinetyDaysOfSimulatedTime() {
        Scenario.Key key = sim.scenario().account(PROD).region("us-east-1").key("33333333-3333-4333-8333-333333333333");
        Instant encryptAt = key.cloudTrail().get(1).at();
        Instant disableAt = key.cloudTrail().get(2).at();
        assertThat(key.cloudTrail().get(1).eventName()).isEqualTo("Encrypt");
        assertThat(key.cloudTrail().get(2).eventName()).isEqualTo("DisableKey");
        // Encrypt (45 days old at load) falls out of the window, DisableKey (42 days) stays.
        sim.advanceClock(Duration.between(sim.now(), encryptAt.plus(Duration.ofDays(90)).plusSeconds(60)));

        try (CloudTrailClient cloudTrail = aws.cloudTrail("us-east-1", aws.spokeRole(PROD, "ext-123"))) {
            List<Event> events = TrailEvents.onKey(cloudTrail, HISTORY_KEY);
            assertThat(events).extracting(Event::eventName).doesNotContain("Encrypt").contains("DisableKey");
            assertThat(events).extracting(Event::eventTime).allMatch(t -> !t.isBefore(sim.now().minus(Duration.ofDays(90))));
            assertThat(events).filteredOn(e -> e.eventName().equals("DisableKey")).extracting(Event::eventTime)
                    .containsExactly(disableAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));

            List<Event> clamped = cloudTrail.lookupEventsPaginator(r -> r.startTime(encryptAt.minusSeconds(1))
                    .lookupAttributes(a -> a.attributeKey("ResourceName").attributeValue(HISTORY_KEY))).events()
                    .stream().toList();
            assertThat(clamped).hasSameSizeAs(events).extracting(Event::eventName).doesNotContain("Encrypt");
        }
    }

    @Test
    void aSessionIssuedBeforeTheClockJumpsExpires() {
        Credentials issued;
        try (StsClient sts = aws.sts(AwsClients.hub())) {
            issued = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + PROD + ":role/UnusdSpokeRole")
                    .roleSessionName("before").externalId("ext-123")).credentials();
        }
        assertThat(Duration.between(sim.now(), issued.expiration())).isBetween(Duration.ofMinutes(59), Duration.ofHours(1));
        sim.advanceClock(Duration.ofMinutes(61));

        try (KmsClient kms = aws.kms("us-east-1", software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
                issued.accessKeyId(), issued.secretAccessKey(), issued.sessionToken()))) {
            assertThatThrownBy(kms::listKeys).isInstanceOfSatisfying(KmsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException"));
        }
        try (KmsClient kms = aws.kms("us-east-1", aws.spokeRole(PROD, "ext-123"))) {
            assertThat(kms.listKeys().keys()).isNotEmpty();
        }
    }

    @Test
    void theClockIsReadAndMovedOverHttp() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant before = sim.now();
        HttpResponse<String> moved = http.send(post("/_sim/clock", "{\"advance\":\"PT36H\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(moved.statusCode()).isEqualTo(200);
        Instant reported = Instant.parse((String) json(moved.body()).get("now"));
        assertThat(Duration.between(before, reported)).isBetween(Duration.ofHours(36), Duration.ofHours(36).plusSeconds(5));

        HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(sim.endpoint() + "/_sim/clock")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(Instant.parse((String) json(read.body()).get("now"))).isBetween(reported, sim.now());

        for (String invalid : List.of("{\"advance\":\"-PT1H\"}", "{\"advance\":\"36 hours\"}", "{\"advanced\":\"PT1H\"}",
                "{}")) {
            assertThat(http.send(post("/_sim/clock", invalid), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as(invalid).isEqualTo(400);
        }
        assertThat(Duration.between(reported, sim.now())).isLessThan(Duration.ofMinutes(1));
    }

    private static HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(sim.endpoint() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String body) {
        return JsonMapper.builder().build().readValue(body, Map.class);
    }
}
