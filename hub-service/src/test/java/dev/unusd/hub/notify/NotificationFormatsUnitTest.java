package dev.unusd.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each format within its service's documented limits, the signature against a spec verifier, the sealed secrets. */
class NotificationFormatsUnitTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void slackDigestsStayWithinFiftyBlocksAndThreeThousandCharactersPerText() {
        ScanDigest digest = digest(25, "x".repeat(5000));
        JsonNode message = JSON.readTree(SlackMessage.digest(digest));
        JsonNode blocks = message.get("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(SlackMessage.MAX_BLOCKS);
        blocks.valueStream().filter(b -> b.has("text")).forEach(b ->
                assertThat(b.get("text").get("text").asString().length()).isLessThanOrEqualTo(SlackMessage.MAX_SECTION_TEXT));
        assertThat(blocks.get(0).get("text").get("text").asString().length())
                .isLessThanOrEqualTo(SlackMessage.MAX_HEADER_TEXT);
        assertThat(blocks.get(blocks.size() - 1).toString()).contains("and 5 more");
        assertThat(message.get("text").asString()).isEqualTo("unusd: 30 findings changed: 30 opened");
    }

    @Test
    void slackEscapesWhatMrkdwnWouldReadAsMarkup() {
        ScanDigest digest = digest(1, "Key <!channel> & more");
        assertThat(SlackMessage.digest(digest)).contains("Key &lt;!channel&gt; &amp; more").doesNotContain("<!channel>");
    }

    @Test
    void teamsShowsNamesAliasesAndTitlesAsTypedNotAsMarkdown() {
        String hostile = "[Action required](https://evil.example/login)";
        ScanDigest.Change change = new ScanDigest.Change(UUID.fromString("2cd79763-5af0-4c62-94b1-d8f4253c1382"),
                ScanDigest.ChangeKind.OPENED, "KEY_UNUSED", "MEDIUM", "**Urgent**: key_not_used", "k0",
                "alias/team_a", UUID.randomUUID(), "111122223333", hostile, "us-east-1", new BigDecimal("1.00"),
                List.of("aws kms disable-key --key-id k0 --region us-east-1"),
                "https://hub.example.test/api/v1/findings/2cd79763-5af0-4c62-94b1-d8f4253c1382");
        ScanDigest digest = new ScanDigest(UUID.randomUUID(), "SUCCEEDED", Instant.parse("2026-12-06T15:00:00Z"),
                new ScanDigest.Counts(1, 0, 0), Map.of("KEY_UNUSED", new ScanDigest.Counts(1, 0, 0)),
                Map.of("MEDIUM", new ScanDigest.Counts(1, 0, 0)), BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ZERO, 1, 1,
                List.of(change), 0, "https://hub.example.test/api/v1/scans/s");

        List<String> texts = JSON.readTree(TeamsMessage.digest(digest)).findValues("items").get(0).valueStream()
                .map(b -> b.get("text").asString()).toList();
        assertThat(texts).containsExactly("MEDIUM · KEY\\_UNUSED · opened",
                "\\*\\*Urgent\\*\\*: key\\_not\\_used",
                "alias/team\\_a (k0) in 111122223333 \\[Action required\\](https://evil.example/login), us-east-1, "
                        + "$1.00/month",
                "aws kms disable-key --key-id k0 --region us-east-1",
                "[Finding 2cd79763-5af0-4c62-94b1-d8f4253c1382]"
                        + "(https://hub.example.test/api/v1/findings/2cd79763-5af0-4c62-94b1-d8f4253c1382)");

        JsonNode access = JSON.readTree(TeamsMessage.access(access(hostile))).get("attachments").get(0)
                .get("content").get("body").get(0);
        assertThat(access.get("text").asString()).isEqualTo("unusd: access to AWS account 111122223333 "
                + "(\\[Action required\\](https://evil.example/login)) is broken: ASSUME\\_ROLE\\_DENIED");
    }

    @Test
    void teamsEscapesWhatWouldStartAListOrAHeadingOnlyAtTheStartOfALine() {
        assertThat(TeamsMessage.plain("- a\n+ b\n# c\n1. d\n  12) e\n---\n===\n<x> `y` ~z~ \\"))
                .isEqualTo("\\- a\n\\+ b\n\\# c\n1\\. d\n  12\\) e\n\\---\n\\===\n\\<x\\> \\`y\\` \\~z\\~ \\\\");
        assertThat(TeamsMessage.plain("01000002-0000-4000-8000-000000000002 in 1. region, a-b + c # d"))
                .as("only at the start of a line, and a number only when a space follows")
                .isEqualTo("01000002-0000-4000-8000-000000000002 in 1. region, a-b + c # d");
    }

    @Test
    void slacksTopLevelTextIsEscapedLikeItsBlocks() {
        JsonNode message = JSON.readTree(SlackMessage.access(
                access("<https://evil.example|Action required> <!channel>")));
        assertThat(message.get("text").asString()).isEqualTo("unusd: access to AWS account 111122223333 "
                + "(&lt;https://evil.example|Action required&gt; &lt;!channel&gt;) is broken: ASSUME_ROLE_DENIED");
        assertThat(message.get("blocks").get(0).get("text").get("type").asString()).as("plain text: shown as typed")
                .isEqualTo("plain_text");
    }

    @Test
    void teamsCardsDropFindingsUntilTheMessageFitsTwentyEightKilobytes() {
        ScanDigest digest = digest(25, "t".repeat(2500));
        String message = TeamsMessage.digest(digest);
        assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(TeamsMessage.MAX_BYTES);
        JsonNode card = JSON.readTree(message).get("attachments").get(0).get("content");
        long shown = card.get("body").valueStream().filter(b -> b.get("type").asString().equals("Container")).count();
        assertThat(shown).isLessThan(25).isGreaterThan(0);
        assertThat(card.toString()).contains("and " + (30 - shown) + " more");
        String small = TeamsMessage.digest(digest(3, "short"));
        assertThat(JSON.readTree(small).get("attachments").get(0).get("content").toString()).doesNotContain("more\"");
    }

    @Test
    void emailsCarryTheSameDigestAsHtmlAndTextWithMarkupEscaped() {
        EmailMessage mail = EmailMessage.digest(digest(2, "<script>alert(1)</script>"));
        assertThat(mail.subject()).isEqualTo("unusd: 2 findings changed: 2 opened");
        assertThat(mail.html()).contains("&lt;script&gt;").doesNotContain("<script>");
        assertThat(mail.text()).contains("<script>alert(1)</script>", "alias/k0", "aws kms disable-key --key-id k0");
    }

    @Test
    void signaturesFollowStandardWebhooksAndVerifyWithAnIndependentVerifier() throws Exception {
        String secret = WebhookSignature.newSecret();
        String body = "{\"id\":\"msg_1\",\"data\":{\"é\":1}}";
        long now = Instant.now().getEpochSecond();
        String signature = WebhookSignature.sign(secret, "msg_1", now, body);
        assertThat(signature).startsWith("v1,");
        StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(secret);
        assertThat(verifier.verify("msg_1", Long.toString(now), signature, body)).isTrue();
        assertThat(verifier.verify("msg_1", Long.toString(now), signature, body + " ")).isFalse();
        assertThat(verifier.verify("msg_2", Long.toString(now), signature, body)).isFalse();
        assertThat(verifier.verify("msg_1", Long.toString(now - 600),
                WebhookSignature.sign(secret, "msg_1", now - 600, body), body)).as("replayed").isFalse();
        // The specification's own example.
        assertThat(WebhookSignature.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L, "{\"test\": 2432232314}")).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void sealedSecretsRoundTripUseAFreshNonceAndRefuseTampering() {
        SecretBox box = new SecretBox(properties("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
        byte[] once = box.seal("https://hooks.slack.com/services/T0/B0/secret");
        byte[] twice = box.seal("https://hooks.slack.com/services/T0/B0/secret");
        assertThat(once).isNotEqualTo(twice);
        assertThat(new String(once, StandardCharsets.ISO_8859_1)).doesNotContain("secret", "hooks");
        assertThat(box.open(once)).isEqualTo("https://hooks.slack.com/services/T0/B0/secret");
        once[once.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(once)).hasMessageContaining("does not decrypt");
        SecretBox otherKey = new SecretBox(properties("HwECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
        assertThatThrownBy(() -> otherKey.open(twice)).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> new SecretBox(properties("c2hvcnQ="))).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new SecretBox(properties("")).seal("x")).hasMessageContaining("HUB_SECRETS_KEY");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(ChannelSender.retryAfter("120")).isEqualTo(Duration.ofSeconds(120));
        assertThat(ChannelSender.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(ChannelSender.retryAfter("soon")).isNull();
        assertThat(ChannelSender.retryAfter(null)).isNull();
    }

    @Test
    void failedDeliveriesWaitTwiceAsLongEachTimeUpToTheMaximum() {
        DeliveryRunner runner = new DeliveryRunner(null, null, null, null, null, properties(""), java.time.Clock.systemUTC());
        assertThat(IntStream.rangeClosed(1, 6).mapToObj(runner::backoff).toList()).containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(8),
                Duration.ofSeconds(8));
    }

    @Test
    void targetsAreMaskedToTheirHostAndLastFourCharacters() {
        assertThat(ChannelService.mask(ChannelType.SLACK, "https://hooks.slack.com/services/T000/B000/XXXXabcd"))
                .isEqualTo("https://hooks.slack.com/****abcd");
        assertThat(ChannelService.mask(ChannelType.WEBHOOK, "https://example.com/h")).isEqualTo("https://example.com/****");
        assertThat(ChannelService.mask(ChannelType.EMAIL, "secops@example.com,cto@example.org"))
                .isEqualTo("s***@example.com,c***@example.org");
    }

    private static AccountAccess access(String accountName) {
        return new AccountAccess(UUID.randomUUID(), "111122223333", accountName, true, "ASSUME_ROLE_DENIED",
                "The role cannot be assumed.", List.of("us-east-1"), UUID.randomUUID(),
                Instant.parse("2026-12-06T15:00:00Z"), "https://hub.example.test/api/v1/accounts/a");
    }

    static NotifyProperties properties(String key) {
        return new NotifyProperties(key, false, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(8), Duration.ofHours(24), 10, Duration.ofMinutes(5),
                new NotifyProperties.Smtp("", 25, "", "", false, "unusd@localhost"));
    }

    /** {@code shown} findings in the digest, 5 more not shown. */
    private static ScanDigest digest(int shown, String title) {
        List<ScanDigest.Change> changes = new ArrayList<>();
        IntStream.range(0, shown).forEach(i -> changes.add(new ScanDigest.Change(UUID.randomUUID(),
                ScanDigest.ChangeKind.OPENED, "KEY_UNUSED", "MEDIUM", title, "k" + i, "alias/k" + i, UUID.randomUUID(),
                "111122223333", "prod", "us-east-1", new BigDecimal("1.00"),
                List.of("aws kms disable-key --key-id k" + i + " --region us-east-1"),
                "https://hub.example.test/api/v1/findings/" + i)));
        int total = shown == 25 ? 30 : shown;
        Map<String, ScanDigest.Counts> byType = new LinkedHashMap<>(Map.of("KEY_UNUSED", new ScanDigest.Counts(total, 0, 0)));
        Map<String, ScanDigest.Counts> bySeverity = new LinkedHashMap<>(Map.of("MEDIUM", new ScanDigest.Counts(total, 0, 0)));
        return new ScanDigest(UUID.randomUUID(), "SUCCEEDED", Instant.parse("2026-12-06T15:00:00Z"),
                new ScanDigest.Counts(total, 0, 0), byType, bySeverity, new BigDecimal(total), new BigDecimal(total),
                BigDecimal.ZERO, 1, 1, changes, total - shown, "https://hub.example.test/api/v1/scans/s");
    }
}
