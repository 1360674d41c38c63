package dev.unusd.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;
import dev.unusd.hub.support.TestSmtp;
import dev.unusd.hub.support.TestSpokeSim;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Notifications through the whole hub, to real receivers: an HTTP server standing in for Slack, Teams and webhook
 * endpoints (signatures checked with a verifier written from the Standard Webhooks specification) and a real SMTP
 * server. Scans run against the spoke simulator; the outbox, the delivery task and its retries are the hub's own.
 */
class NotificationIntegrationTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(30);
    static final String BASE = "/api/v1/notification-channels";
    private static final String ROLE = "UnusdSpokeRole";
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    /**
     * Per region: an unused key with an alias (KEY_UNUSED, MEDIUM), a used key scheduled for deletion
     * (PENDING_DELETION_IN_USE, HIGH) and a used, rotated key (nothing).
     */
    private static final String REGION_KEYS = """
              %s:
                keys:
                  - {id: %d1000001-0000-4000-8000-000000000001, createdAt: -200d, lastUsage: none,
                     rotation: {enabled: true}, aliases: [alias/orders]}
                  - {id: %d1000002-0000-4000-8000-000000000002, state: PendingDeletion,
                     lastUsage: {at: -5d, operation: Decrypt}}
                  - {id: %d1000003-0000-4000-8000-000000000003, rotation: {enabled: true},
                     lastUsage: {at: -1d, operation: Decrypt}}
            """;

    @Test
    void scansTellEveryChannelOnceInItsFormatRetryAFailingReceiverAndSayNothingWhenNothingChanged() throws Exception {
        try (Receiver receiver = new Receiver()) {
            TenantHandle tenant = newTenant();
            ApiClient api = tenant.api();
            disableSchedule(api);
            String awsAccountId = register(api);

            Map<String, String> pathOf = new LinkedHashMap<>(); // channel id -> the receiver path it posts to
            JsonNode webhook = create(api, pathOf, receiver, "WEBHOOK", "siem", "/webhook/t0ken-webhook-abcdef", Map.of());
            String webhookSecret = webhook.get("secret").asString();
            String slack = create(api, pathOf, receiver, "SLACK", "#sec", "/slack/T000/B000/slack-t0ken-xyz", Map.of())
                    .get("id").asString();
            String teams = create(api, pathOf, receiver, "TEAMS", "Security", "/teams/workflows/teams-t0ken-123",
                    Map.of()).get("id").asString();
            String email = create(api, Map.of("type", "EMAIL", "name", "oncall",
                    "target", "secops@customer.example, cto@customer.example")).get("id").asString();
            JsonNode flakyChannel = create(api, pathOf, receiver, "WEBHOOK", "flaky", "/flaky/t0ken-flaky", Map.of());
            String flakySecret = flakyChannel.get("secret").asString();
            String high = create(api, pathOf, receiver, "WEBHOOK", "high only", "/high/t0ken-high",
                    Map.of("minSeverity", "HIGH")).get("id").asString();
            String gone = create(api, pathOf, receiver, "WEBHOOK", "gone", "/gone/t0ken-gone", Map.of())
                    .get("id").asString();
            receiver.answer("/flaky/t0ken-flaky", new Receiver.Answer(500, Map.of("Retry-After", "1")));
            receiver.answer("/gone/t0ken-gone", new Receiver.Answer(410, Map.of()));
            int mailsBefore = TestSmtp.get().getReceivedMessages().length;

            // First scan: everything opens; one digest per channel.
            String first = scan(api);
            JsonNode open = api.get("/api/v1/findings?limit=500").json().get("items");
            assertThat(open.size()).isEqualTo(4);
            Receiver.Request hook = receiver.await("/webhook/t0ken-webhook-abcdef", r -> r.size() == 1, WAIT).get(0);
            assertThat(new StandardWebhooksVerifier(webhookSecret).verify(hook.header("webhook-id"),
                    hook.header("webhook-timestamp"), hook.header("webhook-signature"), hook.body())).isTrue();
            assertThat(new StandardWebhooksVerifier(flakySecret).verify(hook.header("webhook-id"),
                    hook.header("webhook-timestamp"), hook.header("webhook-signature"), hook.body()))
                    .as("another channel's secret").isFalse();
            JsonNode event = JSON.readTree(hook.body());
            assertThat(event.propertyNames()).containsExactly("id", "type", "tenantId", "occurredAt", "data");
            assertThat(event.get("id").asString()).isEqualTo(hook.header("webhook-id"));
            assertThat(event.get("type").asString()).isEqualTo("scan.findings_changed");
            assertThat(event.get("tenantId").asString()).isEqualTo(tenant.id().toString());
            JsonNode data = event.get("data");
            assertThat(data.get("scanId").asString()).isEqualTo(first);
            assertThat(data.get("changes").toString()).isEqualTo("{\"opened\":4,\"reopened\":0,\"resolved\":0}");
            assertThat(data.get("byType").get("KEY_UNUSED").get("opened").asInt()).isEqualTo(2);
            assertThat(data.get("byType").get("PENDING_DELETION_IN_USE").get("opened").asInt()).isEqualTo(2);
            assertThat(data.get("bySeverity").get("HIGH").get("opened").asInt()).isEqualTo(2);
            assertThat(data.get("accounts").asInt()).isEqualTo(1);
            assertThat(data.get("regions").asInt()).isEqualTo(2);
            JsonNode top = data.get("topFindings");
            assertThat(top.size()).isEqualTo(4);
            assertThat(top.get(0).get("severity").asString()).as("most pressing first").isEqualTo("HIGH");
            JsonNode unused = top.valueStream().filter(f -> f.get("type").asString().equals("KEY_UNUSED")).findFirst()
                    .orElseThrow();
            assertThat(unused.get("alias").asString()).isEqualTo("alias/orders");
            assertThat(unused.get("awsAccountId").asString()).isEqualTo(awsAccountId);
            assertThat(unused.get("accountName").asString()).isEqualTo("notify " + awsAccountId);
            assertThat(REGIONS).contains(unused.get("region").asString());
            assertThat(unused.get("remediation").get(0).asString()).startsWith("aws kms ");
            assertThat(unused.get("link").asString())
                    .isEqualTo("https://hub.example.test/api/v1/findings/" + unused.get("findingId").asString());
            JsonNode apiFinding = api.get("/api/v1/findings/" + unused.get("findingId").asString()).json();
            assertThat(data.get("openedMonthlyCostUsd").decimalValue())
                    .isEqualByComparingTo(sum(open, "monthlyCostUsd"));
            assertThat(data.get("potentialMonthlySavingsUsd").decimalValue()).isEqualByComparingTo(
                    apiFinding.get("monthlyCostUsd").decimalValue().multiply(java.math.BigDecimal.valueOf(2)));

            JsonNode slackMessage = JSON.readTree(receiver.await(pathOf.get(slack), r -> r.size() == 1, WAIT)
                    .get(0).body());
            assertThat(slackMessage.get("text").asString()).isEqualTo("unusd: 4 findings changed: 4 opened");
            assertThat(slackMessage.get("blocks").size()).isBetween(6, SlackMessage.MAX_BLOCKS);
            assertThat(slackMessage.get("blocks").toString()).contains("alias/orders", awsAccountId,
                    "aws kms cancel-key-deletion", "PENDING_DELETION_IN_USE");
            JsonNode teamsMessage = JSON.readTree(receiver.await(pathOf.get(teams), r -> r.size() == 1, WAIT)
                    .get(0).body());
            JsonNode attachment = teamsMessage.get("attachments").get(0);
            assertThat(attachment.get("contentType").asString()).isEqualTo("application/vnd.microsoft.card.adaptive");
            assertThat(attachment.get("content").get("type").asString()).isEqualTo("AdaptiveCard");
            assertThat(attachment.get("content").toString()).contains("alias/orders", "4 findings changed");

            awaitMails(mailsBefore + 2);
            // One message to both recipients: the SMTP server keeps a copy per mailbox.
            List<MimeMessage> mails = List.of(TestSmtp.get().getReceivedMessages()).subList(mailsBefore, mailsBefore + 2);
            for (MimeMessage mail : mails) {
                assertThat(mail.getSubject()).isEqualTo("unusd: 4 findings changed: 4 opened");
                assertThat(mail.getHeader("To", ",")).contains("secops@customer.example", "cto@customer.example");
                assertThat(mail.getFrom()[0].toString()).isEqualTo("unusd@hub.example.test");
            }
            Map<String, String> parts = parts(mails.get(0));
            assertThat(parts.get("text/plain")).contains("alias/orders", awsAccountId, "aws kms ",
                    "https://hub.example.test/api/v1/scans/" + first);
            assertThat(parts.get("text/html")).contains("<table", "alias/orders");

            // 500 with Retry-After: 1, then 200: the same event once more, no sooner than the receiver asked.
            List<Receiver.Request> flaky = receiver.await("/flaky/t0ken-flaky", r -> r.size() == 2, WAIT);
            assertThat(flaky.get(1).header("webhook-id")).isEqualTo(flaky.get(0).header("webhook-id"));
            assertThat(Duration.between(flaky.get(0).at(), flaky.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            JsonNode flakyDelivery = awaitDelivery(api, flakyChannel.get("id").asString(), "DELIVERED");
            assertThat(flakyDelivery.get("attempts").asInt()).isEqualTo(2);

            // Only HIGH: the two findings of keys pending deletion.
            JsonNode highData = JSON.readTree(receiver.await(pathOf.get(high), r -> r.size() == 1, WAIT).get(0)
                    .body()).get("data");
            assertThat(highData.get("changes").toString()).isEqualTo("{\"opened\":2,\"reopened\":0,\"resolved\":0}");
            assertThat(highData.get("topFindings").valueStream().map(f -> f.get("severity").asString()).distinct()
                    .toList()).containsExactly("HIGH");

            // 410: the receiver is gone, the channel is disabled with the reason.
            JsonNode goneDelivery = awaitDelivery(api, gone, "FAILED");
            assertThat(goneDelivery.get("lastStatusCode").asInt()).isEqualTo(410);
            JsonNode goneChannel = api.get(BASE + "/" + gone).json();
            assertThat(goneChannel.get("enabled").asBoolean()).isFalse();
            assertThat(goneChannel.get("disabledReason").asString()).contains("410");

            // Second scan, nothing changed: nothing is sent, nothing is queued.
            int requestsBefore = receiver.all().size();
            int mailsAfterFirst = TestSmtp.get().getReceivedMessages().length;
            String second = scan(api);
            assertThat(api.get("/api/v1/scans/" + second).json().get("counts").toString())
                    .isEqualTo("{\"keys\":6,\"findingsOpened\":0,\"findingsResolved\":0}");
            Thread.sleep(2_000); // the scheduler polls every 250 ms: a queued delivery would have gone out
            assertThat(receiver.all()).hasSize(requestsBefore);
            assertThat(TestSmtp.get().getReceivedMessages()).hasSize(mailsAfterFirst);
            assertThat(deliveries(api, slack)).hasSize(1);

            // Third scan: the unused keys are used again, both KEY_UNUSED findings resolve. The HIGH-only channel
            // hears nothing of it; the disabled one neither.
            for (int i = 0; i < REGIONS.size(); i++) {
                TestSpokeSim.get().useKey(awsAccountId, REGIONS.get(i), keyId(i, 1), "Encrypt");
            }
            String third = scan(api);
            JsonNode resolved = JSON.readTree(receiver.await("/webhook/t0ken-webhook-abcdef", r -> r.size() == 2, WAIT)
                    .get(1).body()).get("data");
            assertThat(resolved.get("scanId").asString()).isEqualTo(third);
            assertThat(resolved.get("changes").toString()).isEqualTo("{\"opened\":0,\"reopened\":0,\"resolved\":2}");
            assertThat(resolved.get("topFindings").get(0).get("change").asString()).isEqualTo("RESOLVED");
            receiver.await(pathOf.get(slack), r -> r.size() == 2, WAIT);
            receiver.await("/flaky/t0ken-flaky", r -> r.size() == 3, WAIT);
            awaitMails(mailsAfterFirst + 2);
            Thread.sleep(1_000);
            assertThat(receiver.requests("/high/t0ken-high")).hasSize(1);
            assertThat(receiver.requests("/gone/t0ken-gone")).hasSize(1);

            // Every event the hub delivered arrived, and arrived once per attempt at most.
            int deliveries = 0;
            int lost = 0;
            int duplicates = 0;
            for (Map.Entry<String, String> channel : pathOf.entrySet()) {
                List<Receiver.Request> got = receiver.requests(channel.getValue());
                for (JsonNode d : deliveries(api, channel.getKey())) {
                    deliveries++;
                    String status = d.get("status").asString();
                    long received = got.stream().filter(r -> d.get("eventId").asString().equals(r.header("webhook-id")))
                            .count();
                    if (status.equals("PENDING") || status.equals("DELIVERED") && received == 0) {
                        lost++;
                    }
                    duplicates += Math.max(0, received - d.get("attempts").asInt());
                }
            }
            for (JsonNode d : deliveries(api, email)) {
                deliveries++;
                lost += d.get("status").asString().equals("DELIVERED") ? 0 : 1;
            }
            System.out.printf("notifications: %d deliveries, %d lost, %d duplicates beyond retries%n", deliveries, lost,
                    duplicates);
            // First scan: all 7 channels; second: none; third: the 5 still enabled whose filters let it through.
            assertThat(deliveries).isEqualTo(7 + 5);
            assertThat(lost).isZero();
            assertThat(duplicates).isZero();

            // Targets and secrets: encrypted at rest, masked in answers, never in the log.
            List<String> secrets = List.of("t0ken-webhook-abcdef", "slack-t0ken-xyz", "teams-t0ken-123", "t0ken-flaky",
                    webhookSecret.substring(6), flakySecret.substring(6), "secops@customer.example");
            String listed = api.get(BASE).text();
            assertThat(listed).doesNotContain(secrets).doesNotContain("\"secret\"");
            String stored = storedChannels(tenant.id());
            assertThat(stored).doesNotContain(secrets);
            String log = Files.readString(Path.of(LOG_FILE), StandardCharsets.UTF_8);
            assertThat(log).doesNotContain(secrets);
        }
    }

    @Test
    void aDigestTellsEachFindingsChangeSinceItsLastNewsAndMutingOrUnmutingIsNoNews() throws Exception {
        try (Receiver receiver = new Receiver()) {
            TenantHandle tenant = newTenant();
            ApiClient api = tenant.api();
            disableSchedule(api);
            String awsAccountId = register(api);
            String accountId = api.get("/api/v1/accounts").json().get("items").get(0).get("id").asString();
            create(api, Map.of("type", "WEBHOOK", "name", "siem", "target", receiver.url("/digests/t0ken-digests")));
            // Muted across the account before any scan: these findings are first seen SUPPRESSED.
            String pendingMuted = mute(api, Map.of("scope", "ACCOUNT_TYPE", "accountId", accountId,
                    "type", "PENDING_DELETION_IN_USE"));
            mute(api, Map.of("scope", "ACCOUNT_TYPE", "accountId", accountId, "type", "ROTATION_DISABLED"));

            JsonNode first = digest(receiver, 1, scan(api));
            assertThat(first.get("changes").toString()).isEqualTo("{\"opened\":2,\"reopened\":0,\"resolved\":0}");
            assertThat(told(first)).containsExactly("OPENED KEY_UNUSED eu-west-1", "OPENED KEY_UNUSED us-east-1");

            // An open finding muted; another resolved; a muted one, never told, resolved (its key's deletion
            // cancelled, which also turns up the key's ROTATION_DISABLED, muted from the start).
            String usUnused = findingId(api, "KEY_UNUSED", "us-east-1");
            String unusedMuted = mute(api, Map.of("scope", "FINDING", "findingId", usUnused));
            TestSpokeSim.get().useKey(awsAccountId, "eu-west-1", keyId(1, 1), "Encrypt");
            TestSpokeSim.get().cancelKeyDeletion(awsAccountId, "us-east-1", keyId(0, 2));
            JsonNode second = digest(receiver, 2, scan(api));
            assertThat(status(api, findingId(api, "PENDING_DELETION_IN_USE", "us-east-1"))).isEqualTo("RESOLVED");
            assertThat(second.get("changes").toString()).isEqualTo("{\"opened\":0,\"reopened\":0,\"resolved\":1}");
            assertThat(told(second)).containsExactly("RESOLVED KEY_UNUSED eu-west-1");

            // Unmuted: the finding told open is open again, no news; those never told open are news, opened,
            // the one resolved unseen in between too. The ROTATION_DISABLED seen only muted resolves unseen.
            assertThat(api.delete("/api/v1/suppressions/" + unusedMuted).status()).isEqualTo(204);
            assertThat(api.delete("/api/v1/suppressions/" + pendingMuted).status()).isEqualTo(204);
            TestSpokeSim.get().scheduleKeyDeletion(awsAccountId, "us-east-1", keyId(0, 2), 7);
            JsonNode third = digest(receiver, 3, scan(api));
            assertThat(status(api, usUnused)).isEqualTo("OPEN");
            assertThat(status(api, findingId(api, "ROTATION_DISABLED", "us-east-1"))).isEqualTo("RESOLVED");
            assertThat(third.get("changes").toString()).isEqualTo("{\"opened\":2,\"reopened\":0,\"resolved\":0}");
            assertThat(told(third)).containsExactly("OPENED PENDING_DELETION_IN_USE eu-west-1",
                    "OPENED PENDING_DELETION_IN_USE us-east-1");
            assertThat(third.get("openedMonthlyCostUsd").decimalValue()).as("keys pending deletion cost nothing")
                    .isEqualByComparingTo("0.00");
            assertThat(third.get("potentialMonthlySavingsUsd").decimalValue())
                    .as("the unmuted unused key's $1 is not new").isEqualByComparingTo("0.00");

            // A finding told open, muted, then resolved: resolved is news. Unmuted and back: reopened.
            String euPending = findingId(api, "PENDING_DELETION_IN_USE", "eu-west-1");
            String pendingMutedAgain = mute(api, Map.of("scope", "FINDING", "findingId", euPending));
            TestSpokeSim.get().cancelKeyDeletion(awsAccountId, "eu-west-1", keyId(1, 2));
            JsonNode fourth = digest(receiver, 4, scan(api));
            assertThat(fourth.get("changes").toString()).isEqualTo("{\"opened\":0,\"reopened\":0,\"resolved\":1}");
            assertThat(told(fourth)).containsExactly("RESOLVED PENDING_DELETION_IN_USE eu-west-1");
            assertThat(api.delete("/api/v1/suppressions/" + pendingMutedAgain).status()).isEqualTo(204);
            TestSpokeSim.get().scheduleKeyDeletion(awsAccountId, "eu-west-1", keyId(1, 2), 7);
            JsonNode fifth = digest(receiver, 5, scan(api));
            assertThat(fifth.get("changes").toString()).isEqualTo("{\"opened\":0,\"reopened\":1,\"resolved\":0}");
            assertThat(told(fifth)).containsExactly("REOPENED PENDING_DELETION_IN_USE eu-west-1");
            assertThat(receiver.all()).as("one digest a scan").hasSize(5);
        }
    }

    // helpers

    static JsonNode create(ApiClient api, Map<String, Object> body) {
        ApiClient.Response created = api.post(BASE, body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json();
    }

    private static JsonNode create(ApiClient api, Map<String, String> pathOf, Receiver receiver, String type,
            String name, String path, Map<String, Object> more) {
        Map<String, Object> body = new HashMap<>(more);
        body.putAll(Map.of("type", type, "name", name, "target", receiver.url(path)));
        JsonNode created = create(api, body);
        pathOf.put(created.get("id").asString(), path);
        return created;
    }

    /** Waits for the SMTP server to hold this many messages in all, then checks no more came. */
    private static void awaitMails(int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (TestSmtp.get().getReceivedMessages().length < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(TestSmtp.get().getReceivedMessages()).hasSize(count);
    }

    static List<JsonNode> deliveries(ApiClient api, String channelId) {
        ApiClient.Response response = api.get(BASE + "/" + channelId + "/deliveries?limit=500");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("items").valueStream().toList();
    }

    static JsonNode awaitDelivery(ApiClient api, String channelId, String status) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            List<JsonNode> found = deliveries(api, channelId);
            if (!found.isEmpty() && found.get(0).get("status").asString().equals(status)) {
                return found.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + status + " delivery on " + channelId + ": " + deliveries(api, channelId));
    }

    private static java.math.BigDecimal sum(JsonNode items, String field) {
        return items.valueStream().map(i -> i.get(field).decimalValue()).reduce(java.math.BigDecimal.ZERO,
                java.math.BigDecimal::add);
    }

    /** content type (without parameters) -> text, through nested multiparts. */
    static Map<String, String> parts(MimeMessage message) throws Exception {
        Map<String, String> parts = new HashMap<>();
        collect(message.getContent(), message.getContentType(), parts);
        return parts;
    }

    private static void collect(Object content, String type, Map<String, String> into) throws Exception {
        if (content instanceof MimeMultipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                collect(multipart.getBodyPart(i).getContent(), multipart.getBodyPart(i).getContentType(), into);
            }
        } else {
            into.put(type.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT), content.toString());
        }
    }

    private static String storedChannels(UUID tenant) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = TestDatabase.get().admin(); PreparedStatement s = c.prepareStatement(
                "select * from notification_channels where tenant_id = ?")) {
            s.setObject(1, tenant);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        all.append(v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(v))
                                .append('\n');
                    }
                }
            }
        }
        return all.toString();
    }

    /** The {@code n}th digest the receiver got, which must be this scan's. */
    private static JsonNode digest(Receiver receiver, int n, String scanId) throws InterruptedException {
        JsonNode data = JSON.readTree(receiver.await("/digests/t0ken-digests", r -> r.size() >= n, WAIT).get(n - 1)
                .body()).get("data");
        assertThat(data.get("scanId").asString()).isEqualTo(scanId);
        return data;
    }

    /** "OPENED KEY_UNUSED us-east-1" per finding of the digest, in its order. */
    private static List<String> told(JsonNode digest) {
        return digest.get("topFindings").valueStream().map(f -> f.get("change").asString() + " "
                + f.get("type").asString() + " " + f.get("region").asString()).toList();
    }

    private static String mute(ApiClient api, Map<String, Object> scope) {
        Map<String, Object> body = new HashMap<>(scope);
        body.putAll(Map.of("reason", "handled elsewhere", "author", "alice"));
        ApiClient.Response created = api.post("/api/v1/suppressions", body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** The account's only finding of this type in the region, whatever its status. */
    private static String findingId(ApiClient api, String type, String region) {
        JsonNode items = api.get("/api/v1/findings?status=OPEN,SUPPRESSED,RESOLVED&type=" + type + "&region=" + region)
                .json().get("items");
        assertThat(items.size()).as(type + " in " + region).isEqualTo(1);
        return items.get(0).get("id").asString();
    }

    private static String status(ApiClient api, String findingId) {
        return api.get("/api/v1/findings/" + findingId).json().get("status").asString();
    }

    static void disableSchedule(ApiClient api) {
        JsonNode settings = api.get("/api/v1/settings").json();
        ApiClient.Response put = api.put("/api/v1/settings", Map.of(
                "exceptionTag", Map.of("key", settings.get("exceptionTag").get("key").asString(),
                        "value", settings.get("exceptionTag").get("value").asString()),
                "unusedDays", settings.get("unusedDays").asInt(),
                "maxRotationPeriodDays", settings.get("maxRotationPeriodDays").asInt(),
                "defaultRegions", List.of("us-east-1"),
                "schedule", Map.of("cron", "0 0 6 * * *", "timezone", "UTC", "enabled", false)));
        assertThat(put.status()).as(put.text()).isEqualTo(200);
    }

    /** One account in both regions with {@link #REGION_KEYS}, its role deployed. */
    static String register(ApiClient api) {
        StringBuilder yaml = new StringBuilder("regions:\n");
        for (int i = 0; i < REGIONS.size(); i++) {
            yaml.append(REGION_KEYS.formatted(REGIONS.get(i), i, i, i));
        }
        String awsAccountId = TestSpokeSim.addAccount(yaml.toString()).id();
        ApiClient.Response created = api.post("/api/v1/accounts",
                Map.of("awsAccountId", awsAccountId, "name", "notify " + awsAccountId, "regions", REGIONS));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        TestSpokeSim.get().deployRole(awsAccountId, ROLE, created.json().get("externalId").asString());
        return awsAccountId;
    }

    static String keyId(int region, int key) {
        return "%d100000%d-0000-4000-8000-00000000000%d".formatted(region, key, key);
    }

    static String scan(ApiClient api) throws InterruptedException {
        return scan(api, "SUCCEEDED");
    }

    /** Launches a scan of every account and waits for it to end with this status. */
    static String scan(ApiClient api, String expected) throws InterruptedException {
        ApiClient.Response launched = api.post("/api/v1/scans", Map.of());
        assertThat(launched.status()).as(launched.text()).isEqualTo(202);
        String id = launched.json().get("id").asString();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            String status = api.get("/api/v1/scans/" + id).json().get("status").asString();
            if (!Set.of("QUEUED", "RUNNING").contains(status)) {
                assertThat(status).isEqualTo(expected);
                return id;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("scan " + id + " did not end");
    }
}
