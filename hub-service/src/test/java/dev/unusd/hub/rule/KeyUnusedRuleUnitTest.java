package dev.unusd.hub.rule;

import static dev.unusd.hub.rule.Judge.outcome;
import static dev.unusd.hub.rule.KeyFixture.customerKey;
import static dev.unusd.hub.rule.KeyFixture.daysAgo;
import static dev.unusd.hub.rule.KeyFixture.neverUsed;
import static dev.unusd.hub.rule.KeyFixture.usedDaysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.unusd.hub.kms.KeySnapshot;
import dev.unusd.hub.kms.Usage;
import dev.unusd.hub.kms.UsageSource;
import dev.unusd.hub.kms.UsageSpans;
import dev.unusd.hub.kms.UsageStatus;

class KeyUnusedRuleUnitTest {

    private final KeyUnusedRule rule = new KeyUnusedRule();

    @ParameterizedTest
    @CsvSource({
            "Enabled, OPEN", "Disabled, OPEN", "PendingDeletion, CLEAR", "Creating, CLEAR", "PendingImport, CLEAR",
            "PendingReplicaDeletion, CLEAR", "Unavailable, CLEAR", "Updating, CLEAR"})
    void flagsOnlyEnabledAndDisabledKeys(String state, String expected) {
        assertThat(outcome(rule, customerKey().state(state).usage(neverUsed()))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SYMMETRIC_DEFAULT", "RSA_2048", "RSA_4096", "ECC_NIST_P256", "ECC_SECG_P256K1",
            "HMAC_256", "SM2", "ML_DSA_65"})
    void flagsEverySpec(String spec) {
        assertThat(outcome(rule, customerKey().spec(spec).usage(neverUsed()))).isEqualTo("OPEN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"})
    void flagsEveryOrigin(String origin) {
        assertThat(outcome(rule, customerKey().origin(origin).usage(neverUsed()))).isEqualTo("OPEN");
    }

    @Test
    void neverFlagsAwsManagedKeys() {
        assertThat(outcome(rule, customerKey().awsManaged())).isEqualTo("CLEAR");
    }

    @Test
    void usedInsideTheWindowIsClear() {
        assertThat(outcome(rule, customerKey().usage(usedDaysAgo(89)))).isEqualTo("CLEAR");
    }

    @Test
    void lastUsedBeforeTheWindowIsUnused() {
        assertThat(outcome(rule, customerKey().usage(usedDaysAgo(91)))).isEqualTo("OPEN");
    }

    @Test
    void aKeyYoungerThanTheWindowWaits() {
        assertThat(outcome(rule, customerKey().created(daysAgo(89)).usage(neverUsed()))).isEqualTo("CLEAR");
        assertThat(outcome(rule, customerKey().created(daysAgo(91)).usage(neverUsed()))).isEqualTo("OPEN");
    }

    @Test
    void followsTheTenantsUnusedDays() {
        RuleSettings week = new RuleSettings(7, 365, "unusd", "true");
        assertThat(outcome(rule, customerKey().usage(usedDaysAgo(8, 7)), week)).isEqualTo("OPEN");
        assertThat(outcome(rule, customerKey().usage(usedDaysAgo(6, 7)), week)).isEqualTo("CLEAR");
    }

    @Test
    void unknownUsageDecidesNothing() {
        assertThat(outcome(rule, customerKey().usage(Usage.unknown(null))
                .unknown(KeySnapshot.USAGE, "CloudTrail: AccessDeniedException"))).isEqualTo("UNDECIDED");
        assertThat(outcome(rule, customerKey().undescribed())).isEqualTo("UNDECIDED");
    }

    @Test
    void exemptKeysAreSuppressedAndUnknownTagsDecideNothing() {
        KeyFixture unused = customerKey().usage(neverUsed());
        assertThat(outcome(rule, unused.tags(Map.of("unusd", "true")))).isEqualTo("SUPPRESSED");
        assertThat(outcome(rule, unused.tags(Map.of("unusd", "false")))).isEqualTo("OPEN");
        assertThat(outcome(rule, unused.tags(Map.of("keep", "yes")), new RuleSettings(90, 365, "keep", "yes")))
                .isEqualTo("SUPPRESSED");
        assertThat(outcome(rule, unused.unknown(KeySnapshot.TAGS, "AccessDeniedException"))).isEqualTo("UNDECIDED");
    }

    @Test
    void describesTheFindingWithEvidenceCostAndRemediation() {
        FindingDraft finding = Judge.finding(rule, customerKey().usage(usedDaysAgo(120)).rotation(true, 365, 1),
                RuleSettings.defaults());

        assertThat(finding.type()).isEqualTo(FindingType.KEY_UNUSED);
        assertThat(finding.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(finding.title()).isEqualTo("Customer-managed KMS key not used");
        assertThat(finding.detail()).startsWith("No successful cryptographic use in the last 90 days (last used on "
                + "2026-07-31 (Decrypt)).");
        assertThat(finding.evidence()).containsEntry("usageStatus", "UNUSED").containsEntry("source", "KMS_LAST_USAGE")
                .containsEntry("lastUsedAt", "2026-07-31T10:00:00Z").containsEntry("cloudTrailEventId", "event-1")
                .containsEntry("unusedDays", 90);
        assertThat(finding.monthlyCostUsd()).isEqualTo(new BigDecimal("2.00"));
        assertThat(finding.remediation()).containsExactly(
                "aws kms disable-key --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --region eu-west-1",
                "aws cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue="
                        + "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                        + " --start-time 2026-11-28T10:00:00Z --region eu-west-1 --query \"Events[?contains("
                        + "CloudTrailEvent, 'DisabledException')].[EventTime,EventName,EventId]\" --output text",
                "aws kms schedule-key-deletion --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --pending-window-in-days 30"
                        + " --region eu-west-1",
                "aws kms tag-resource --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --tags TagKey=unusd,TagValue=true"
                        + " --region eu-west-1");
    }

    @Test
    void saysHowFarBackTheAnswerReaches() {
        FindingDraft fromCreation = Judge.finding(rule, customerKey().usage(neverUsed()), RuleSettings.defaults());
        assertThat(fromCreation.detail()).contains("(no recorded use since it was created on 2025-11-28)");
        assertThat(fromCreation.evidence()).containsEntry("usageKnownSince", "2025-11-28T10:00:00Z");

        // A CloudTrail search over the window vouches for the window only.
        Usage window = new Usage(UsageStatus.UNUSED, null, UsageSpans.of(daysAgo(90), KeyFixture.NOW), KeyFixture.NOW);
        FindingDraft fromWindow = Judge.finding(rule, customerKey().usage(window), RuleSettings.defaults());
        assertThat(fromWindow.detail()).contains("(no recorded use since 2026-08-30)");
        assertThat(fromWindow.evidence()).containsEntry("usageKnownSince", "2026-08-30T10:00:00Z")
                .doesNotContainKey("lastUsedAt");
    }

    @Test
    void anOldUseIsNotCalledTheLastWhenTheTimeSinceWasNotAllSearched() {
        // A use 200 days ago, found by an earlier search; only the last 90 days were searched since.
        Usage.LastUse old = new Usage.LastUse(daysAgo(200), "Encrypt", UsageSource.CLOUDTRAIL, "event-9");
        Usage partly = new Usage(UsageStatus.UNUSED, old, UsageSpans.of(daysAgo(200), daysAgo(190))
                .with(daysAgo(90), KeyFixture.NOW), KeyFixture.NOW);
        FindingDraft finding = Judge.finding(rule, customerKey().usage(partly), RuleSettings.defaults());
        assertThat(finding.detail()).contains("(no recorded use since 2026-08-30; the newest use found before that"
                + " was on 2026-05-12 (Encrypt))");

        // Searched all the way from that use: it is the last one.
        Usage whole = new Usage(UsageStatus.UNUSED, old, UsageSpans.of(daysAgo(200), KeyFixture.NOW), KeyFixture.NOW);
        assertThat(Judge.finding(rule, customerKey().usage(whole), RuleSettings.defaults()).detail())
                .contains("(last used on 2026-05-12 (Encrypt))");
    }

    @Test
    void aDisabledKeyIsNotToldToBeDisabled() {
        FindingDraft finding = Judge.finding(rule, customerKey().state("Disabled").usage(neverUsed()),
                RuleSettings.defaults());
        assertThat(finding.detail()).endsWith("The key is disabled and still costs money: if CloudTrail shows no"
                + " DisabledException since it was disabled (the lookup-events command lists them), schedule its"
                + " deletion.").doesNotContain("disable it");
        assertThat(Judge.finding(rule, customerKey().usage(neverUsed()), RuleSettings.defaults()).detail())
                .endsWith("The key still costs money while enabled: disable it, watch CloudTrail for"
                        + " DisabledException (the lookup-events command lists them), then schedule its deletion.");
    }

    @Test
    void aDisabledKeyNeedsNoDisabling() {
        FindingDraft finding = Judge.finding(rule, customerKey().state("Disabled").usage(neverUsed()),
                new RuleSettings(90, 365, "keep me", "yes"));
        assertThat(finding.remediation()).containsExactly(
                "aws cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue="
                        + "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                        + " --start-time 2026-08-30T10:00:00Z --region eu-west-1 --query \"Events[?contains("
                        + "CloudTrailEvent, 'DisabledException')].[EventTime,EventName,EventId]\" --output text",
                "aws kms schedule-key-deletion --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --pending-window-in-days 30"
                        + " --region eu-west-1",
                "aws kms tag-resource --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --tags 'TagKey=keep me,TagValue=yes'"
                        + " --region eu-west-1");
    }
}
