package dev.unusd.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * A receiver that keeps failing: the delivery is retried (the hub's own task, with backoff and Retry-After) until it
 * has failed for a day, then given up, and the channel is disabled with the reason on it. The day passes on the
 * clock of the attempt that comes after it, not on the wall.
 */
class DeliveryGiveUpIntegrationTest extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PATH = "/down/t0ken-down";

    @Autowired
    NotificationDeliveries deliveries;
    @Autowired
    NotificationChannels channels;
    @Autowired
    SecretBox secrets;
    @Autowired
    ChannelSender sender;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    NotifyProperties properties;

    @Test
    void aReceiverFailingForMoreThanADayGetsItsChannelDisabledWithTheReasonAndTheDeliveryGivenUp() throws Exception {
        try (Receiver receiver = new Receiver()) {
            // Two quick 500s, then 500 with Retry-After: 1 h, so the task's next attempt waits while the clock moves.
            receiver.answer(PATH, new Receiver.Answer(500, Map.of()), new Receiver.Answer(500, Map.of()));
            receiver.answerAlways(PATH, new Receiver.Answer(500, Map.of("Retry-After", "3600")));
            TenantHandle tenant = newTenant();
            ApiClient api = tenant.api();
            NotificationIntegrationTest.disableSchedule(api);
            NotificationIntegrationTest.register(api);
            String channel = NotificationIntegrationTest.create(api, Map.of("type", "WEBHOOK", "name", "down",
                    "target", receiver.url(PATH))).get("id").asString();
            NotificationIntegrationTest.scan(api);

            receiver.await(PATH, r -> r.size() == 3, WAIT);
            JsonNode pending = awaitAttempts(api, channel, 3);
            assertThat(pending.get("status").asString()).isEqualTo("PENDING");
            assertThat(pending.get("lastStatusCode").asInt()).isEqualTo(500);
            assertThat(Duration.between(Instant.parse(pending.get("lastAttemptAt").asString()),
                    Instant.parse(pending.get("nextAttemptAt").asString()))).isEqualTo(Duration.ofHours(1));
            UUID delivery = UUID.fromString(pending.get("id").asString());
            Instant created = Instant.parse(pending.get("createdAt").asString());

            // 23 hours after the delivery was queued: still failing, still retried, the channel still on.
            DeliveryRunner.Next early = runnerAt(created.plus(Duration.ofHours(23))).run(
                    new DeliveryTaskData(tenant.id(), delivery));
            assertThat(early.retryAt()).isNotNull();
            assertThat(receiver.requests(PATH)).hasSize(4);
            assertThat(api.get(NotificationIntegrationTest.BASE + "/" + channel).json().get("enabled").asBoolean())
                    .isTrue();

            // 24 hours and a minute: this failure is the last one.
            DeliveryRunner.Next last = runnerAt(created.plus(Duration.ofHours(24)).plusSeconds(60)).run(
                    new DeliveryTaskData(tenant.id(), delivery));
            assertThat(last.retryAt()).isNull();
            assertThat(receiver.requests(PATH)).hasSize(5);

            JsonNode disabled = api.get(NotificationIntegrationTest.BASE + "/" + channel).json();
            assertThat(disabled.get("enabled").asBoolean()).isFalse();
            assertThat(disabled.get("disabledReason").asString()).isEqualTo("Deliveries failed for 24 h; last: HTTP 500: no");
            assertThat(disabled.get("disabledAt").isNull()).isFalse();
            JsonNode givenUp = NotificationIntegrationTest.deliveries(api, channel).get(0);
            assertThat(givenUp.get("id").asString()).isEqualTo(delivery.toString());
            assertThat(givenUp.get("status").asString()).isEqualTo("FAILED");
            assertThat(givenUp.get("attempts").asInt()).isEqualTo(5);
            assertThat(givenUp.get("lastStatusCode").asInt()).isEqualTo(500);
            assertThat(givenUp.get("lastError").asString()).isEqualTo("HTTP 500: no");
            assertThat(givenUp.get("nextAttemptAt").isNull()).isTrue();

            // The task's own attempt, an hour on, finds it given up and sends nothing; a run now neither.
            assertThat(runnerAt(Instant.now()).run(new DeliveryTaskData(tenant.id(), delivery)).retryAt()).isNull();
            assertThat(receiver.requests(PATH)).hasSize(5);
            // Enabling the channel again clears the reason.
            ApiClient.Response enabled = api.patch(NotificationIntegrationTest.BASE + "/" + channel,
                    Map.of("enabled", true));
            assertThat(enabled.status()).as(enabled.text()).isEqualTo(200);
            assertThat(enabled.json().get("disabledReason").isNull()).isTrue();
        }
    }

    /** The hub's delivery runner, its clock set to a moment. */
    private DeliveryRunner runnerAt(Instant at) {
        return new DeliveryRunner(deliveries, channels, secrets, sender, tx, properties,
                Clock.fixed(at, java.time.ZoneOffset.UTC));
    }

    private static JsonNode awaitAttempts(ApiClient api, String channel, int attempts) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            JsonNode d = NotificationIntegrationTest.deliveries(api, channel).get(0);
            if (d.get("attempts").asInt() == attempts) {
                return d;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("delivery never had " + attempts + " attempts: "
                + NotificationIntegrationTest.deliveries(api, channel));
    }
}
