package dev.unusd.hub.rule;

import static dev.unusd.hub.rule.Judge.outcome;
import static dev.unusd.hub.rule.KeyFixture.customerKey;
import static dev.unusd.hub.rule.KeyFixture.neverUsed;
import static dev.unusd.hub.rule.KeyFixture.usedDaysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.unusd.hub.kms.KeySnapshot;
import dev.unusd.hub.kms.RefusedUse;
import dev.unusd.hub.kms.Usage;

class PendingDeletionInUseRuleUnitTest {

    private final PendingDeletionInUseRule rule = new PendingDeletionInUseRule();
    private final KeyFixture pending = customerKey().state("PendingDeletion").noRotation();

    @Test
    void useInTheLast30DaysIsFlaggedHigh() {
        FindingDraft finding = Judge.finding(rule, pending.usage(usedDaysAgo(29)), RuleSettings.defaults());
        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.monthlyCostUsd()).isEqualTo(new BigDecimal("0.00"));
        assertThat(finding.detail()).isEqualTo("The key is scheduled for deletion on 2026-12-05 but was used on "
                + "2026-10-30 (Decrypt). Deleting it will break whoever still uses it: cancel the deletion and"
                + " re-enable the key.");
        assertThat(finding.remediation()).containsExactly(
                "aws kms cancel-key-deletion --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --region eu-west-1",
                "aws kms enable-key --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --region eu-west-1");
    }

    @Test
    void olderUseOrNoneIsClearWhateverUnusedDays() {
        assertThat(outcome(rule, pending.usage(usedDaysAgo(31)))).isEqualTo("CLEAR");
        assertThat(outcome(rule, pending.usage(neverUsed()))).isEqualTo("CLEAR");
        assertThat(outcome(rule, pending.usage(usedDaysAgo(20)), new RuleSettings(7, 365, "unusd", "true")))
                .isEqualTo("OPEN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Enabled", "Disabled", "PendingReplicaDeletion", "PendingImport", "Unavailable"})
    void onlyKeysPendingDeletion(String state) {
        assertThat(outcome(rule, customerKey().state(state).usage(usedDaysAgo(1)))).isEqualTo("CLEAR");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA_2048", "ECC_NIST_P256", "HMAC_224", "SM2"})
    void everySpec(String spec) {
        assertThat(outcome(rule, pending.spec(spec).usage(usedDaysAgo(1)))).isEqualTo("OPEN");
    }

    @Test
    void awsManagedUnknownAndExempt() {
        assertThat(outcome(rule, pending.awsManaged())).isEqualTo("CLEAR");
        assertThat(outcome(rule, pending.usage(Usage.unknown(null))
                .unknown(KeySnapshot.USAGE, "CloudTrail: AccessDeniedException"))).isEqualTo("UNDECIDED");
        assertThat(outcome(rule, pending.undescribed())).isEqualTo("UNDECIDED");
        assertThat(outcome(rule, pending.usage(usedDaysAgo(1)).tags(java.util.Map.of("unusd", "true"))))
                .isEqualTo("SUPPRESSED");
    }

    /**
     * A key pending deletion cannot be used: a consumer that still needs it shows as calls KMS refused for its state.
     * One in the last 30 days is a finding whatever the last successful use; unknown (CloudTrail refused) is undecided.
     */
    @Test
    void aCallRefusedForTheKeysStateInTheLast30DaysIsFlagged() {
        KeySnapshot old = pending.usage(usedDaysAgo(45)).snapshot();
        RefusedUse refused = new RefusedUse(KeyFixture.daysAgo(3), "Decrypt", "KMSInvalidStateException", "ev-1");
        Verdict verdict = rule.judge(withRefused(old, refused), RuleSettings.defaults(), KeyFixture.NOW);
        assertThat(verdict).isInstanceOf(Verdict.Holds.class);
        FindingDraft finding = ((Verdict.Holds) verdict).finding();
        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.detail()).isEqualTo("The key is scheduled for deletion on 2026-12-05 and a call to use it"
                + " was refused on 2026-11-25 (Decrypt: KMSInvalidStateException): something still depends on it."
                + " Deleting it will break that for good: cancel the deletion and re-enable the key.");
        assertThat(finding.evidence()).containsEntry("refusedErrorCode", "KMSInvalidStateException")
                .containsEntry("refusedCloudTrailEventId", "ev-1");

        RefusedUse tooOld = new RefusedUse(KeyFixture.daysAgo(31), "Decrypt", "DisabledException", "ev-2");
        assertThat(rule.judge(withRefused(old, tooOld), RuleSettings.defaults(), KeyFixture.NOW))
                .isEqualTo(Verdict.CLEAR);
        assertThat(rule.judge(old, RuleSettings.defaults(), KeyFixture.NOW)).isEqualTo(Verdict.CLEAR);
        KeySnapshot unknown = pending.usage(usedDaysAgo(45))
                .unknown(KeySnapshot.REFUSED_USE, "AccessDeniedException: denied").snapshot();
        assertThat(rule.judge(unknown, RuleSettings.defaults(), KeyFixture.NOW))
                .isInstanceOf(Verdict.Undecided.class);
    }

    private static KeySnapshot withRefused(KeySnapshot s, RefusedUse refused) {
        return new KeySnapshot(s.keyId(), s.arn(), s.aliases(), s.metadata(), s.rotation(), s.tags(), s.usage(),
                s.unknown(), s.access(), refused, refused == null ? null : refused.at());
    }
}
