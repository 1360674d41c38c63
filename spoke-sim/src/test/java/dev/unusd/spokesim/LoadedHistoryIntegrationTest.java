package dev.unusd.spokesim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyLastUsageData;
import software.amazon.awssdk.services.kms.model.KeyListEntry;

/** The CloudTrail history a scenario loads with: its ids, and how GetKeyLastUsage points into it. */
class LoadedHistoryIntegrationTest {

    static final String LOADED = "123456789012";
    static final String ADDED = "210987654321";
    /** Key ids left to the seed; every key has CloudTrail uses, one a last use of its own after them. */
    static final String REGION = """
            trackingStartDate: -30d
            keys:
              - {cloudTrail: [{at: -5d, eventName: Decrypt}, {at: -3d, eventName: Encrypt}]}
              - {cloudTrail: [{at: -6d, eventName: Encrypt}], lastUsage: {at: -1d, operation: GenerateDataKey}}
              - {cloudTrail: [{at: -4d, eventName: Decrypt}, {at: -2d, eventName: Decrypt, errorCode: DisabledException}]}
              - {cloudTrail: [{at: -7d, eventName: Encrypt}], noiseEvents: 5}
            """;

    static SpokeSim sim;
    static AwsClients aws;

    @BeforeAll
    static void start() {
        sim = SpokeSim.start(new ScenarioReader(Instant.now()).parse("seed: 7\naccounts:\n" + account(LOADED)));
        sim.setQuotaScale(1000);
        sim.addAccount(new ScenarioReader(Instant.now()).parse("seed: 7\naccounts:\n" + account(ADDED)).accounts().get(0));
        aws = new AwsClients(sim);
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void eventAndRequestIdsAreNeverKeyIdsInALoadedOrAnAddedAccount() {
        for (String accountId : List.of(LOADED, ADDED)) {
            try (KmsClient kms = aws.kms("us-east-1", AwsClients.owner(accountId));
                 CloudTrailClient cloudTrail = aws.cloudTrail("us-east-1", AwsClients.owner(accountId))) {
                Set<String> keyIds = new HashSet<>(kms.listKeys().keys().stream().map(KeyListEntry::keyId).toList());
                List<Event> events = cloudTrail.lookupEventsPaginator(r -> r.maxResults(50)).events().stream().toList();
                Set<String> eventIds = new HashSet<>(events.stream().map(Event::eventId).toList());
                Set<String> requestIds = new HashSet<>(events.stream()
                        .map(e -> (String) TrailEvents.document(e).get("requestID")).toList());

                assertThat(keyIds).hasSize(4);
                assertThat(events).hasSizeGreaterThanOrEqualTo(12);
                assertThat(eventIds).hasSameSizeAs(events).doesNotContainAnyElementsOf(keyIds);
                assertThat(requestIds).hasSameSizeAs(events).doesNotContainAnyElementsOf(keyIds)
                        .doesNotContainAnyElementsOf(eventIds);
            }
        }
    }

    @Test
    void aLoadedLastUsageNamesTheRequestOfItsCloudTrailEvent() {
        for (String accountId : List.of(LOADED, ADDED)) {
            try (KmsClient kms = aws.kms("us-east-1", AwsClients.owner(accountId));
                 CloudTrailClient cloudTrail = aws.cloudTrail("us-east-1", AwsClients.owner(accountId))) {
                List<String> operations = new java.util.ArrayList<>();
                for (KeyListEntry key : kms.listKeys().keys()) {
                    KeyLastUsageData last = kms.getKeyLastUsage(r -> r.keyId(key.keyArn())).keyLastUsage();
                    operations.add(last.operationAsString());
                    Event event = TrailEvents.lookup(cloudTrail, LookupAttributeKey.EVENT_ID, last.cloudTrailEventId())
                            .get(0);
                    Map<String, Object> record = TrailEvents.document(event);
                    assertThat(record).containsEntry("requestID", last.kmsRequestId())
                            .containsEntry("eventName", last.operationAsString()).doesNotContainKey("errorCode");
                    assertThat(event.eventTime()).isEqualTo(last.timestamp());
                    assertThat(event.resources()).singleElement()
                            .satisfies(r -> assertThat(r.resourceName()).isEqualTo(key.keyArn()));
                }
                assertThat(operations).containsExactlyInAnyOrder("Encrypt", "GenerateDataKey", "Decrypt", "Encrypt");
            }
        }
    }

    private static String account(String id) {
        StringBuilder yaml = new StringBuilder("  - id: \"" + id + "\"\n    regions:\n      us-east-1:\n");
        REGION.lines().forEach(line -> yaml.append("        ").append(line).append('\n'));
        return yaml.toString();
    }
}
