package dev.unusd.hub.rule;

import static dev.unusd.hub.rule.Judge.outcome;
import static dev.unusd.hub.rule.KeyFixture.customerKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.unusd.hub.kms.KeySnapshot;

/** ROTATION_DISABLED and ROTATION_PERIOD_TOO_LONG over every key type and state. */
class RotationRulesUnitTest {

    private final RotationDisabledRule disabled = new RotationDisabledRule();
    private final RotationPeriodTooLongRule tooLong = new RotationPeriodTooLongRule();

    @ParameterizedTest
    @CsvSource({
            "Enabled, OPEN", "Disabled, OPEN", "Creating, OPEN", "Unavailable, OPEN", "Updating, OPEN",
            "PendingReplicaDeletion, OPEN", "PendingDeletion, CLEAR"})
    void rotationOffIsFlaggedUnlessPendingDeletion(String state, String expected) {
        assertThat(outcome(disabled, customerKey().state(state))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA_2048", "RSA_3072", "ECC_NIST_P384", "HMAC_512", "SM2", "ML_DSA_44"})
    void keysThatCannotRotateAreNeverFlagged(String spec) {
        assertThat(outcome(disabled, customerKey().spec(spec))).isEqualTo("CLEAR");
        assertThat(outcome(tooLong, customerKey().spec(spec))).isEqualTo("CLEAR");
    }

    @ParameterizedTest
    @ValueSource(strings = {"EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"})
    void importedAndCustomStoreKeysAreNeverFlagged(String origin) {
        assertThat(outcome(disabled, customerKey().origin(origin))).isEqualTo("CLEAR");
        assertThat(outcome(tooLong, customerKey().origin(origin))).isEqualTo("CLEAR");
    }

    /** Imported key material rotates on demand only: automatic rotation off is how every such key is read. */
    @Test
    void importedKeysWithCountedOnDemandRotationsAreNeverFlagged() {
        KeyFixture imported = customerKey().origin("EXTERNAL").rotation(false, null, 2);
        assertThat(outcome(disabled, imported)).isEqualTo("CLEAR");
        assertThat(outcome(tooLong, imported)).isEqualTo("CLEAR");
    }

    @Test
    void awsManagedKeysAreNeverFlagged() {
        assertThat(outcome(disabled, customerKey().awsManaged())).isEqualTo("CLEAR");
        assertThat(outcome(tooLong, customerKey().awsManaged().rotation(true, 2560, 5))).isEqualTo("CLEAR");
    }

    @Test
    void rotationOnIsClearForDisabledRule() {
        assertThat(outcome(disabled, customerKey().rotation(true, 365, 1))).isEqualTo("CLEAR");
    }

    @Test
    void rotationNotApplicableOrUnreadable() {
        // KMSInvalidStateException / UnsupportedOperationException: rotation does not apply.
        assertThat(outcome(disabled, customerKey().noRotation())).isEqualTo("CLEAR");
        assertThat(outcome(disabled, customerKey().noRotation().unknown(KeySnapshot.ROTATION, "AccessDeniedException")))
                .isEqualTo("UNDECIDED");
        assertThat(outcome(tooLong, customerKey().noRotation().unknown(KeySnapshot.ROTATION, "AccessDeniedException")))
                .isEqualTo("UNDECIDED");
        assertThat(outcome(disabled, customerKey().undescribed())).isEqualTo("UNDECIDED");
    }

    @ParameterizedTest
    @CsvSource({"90, CLEAR", "365, CLEAR", "366, OPEN", "2560, OPEN"})
    void periodLongerThanTheMaximumIsFlagged(int period, String expected) {
        assertThat(outcome(tooLong, customerKey().rotation(true, period, 0))).isEqualTo(expected);
    }

    @Test
    void periodFollowsTheTenantsMaximumAndIgnoresRotationOff() {
        RuleSettings quarterly = new RuleSettings(90, 90, "unusd", "true");
        assertThat(outcome(tooLong, customerKey().rotation(true, 180, 0), quarterly)).isEqualTo("OPEN");
        assertThat(outcome(tooLong, customerKey().rotation(false, null, 0), quarterly)).isEqualTo("CLEAR");
    }

    @Test
    void exemptKeysAreSuppressed() {
        assertThat(outcome(disabled, customerKey().tags(Map.of("unusd", "true")))).isEqualTo("SUPPRESSED");
        assertThat(outcome(tooLong, customerKey().rotation(true, 730, 0).tags(Map.of("unusd", "true"))))
                .isEqualTo("SUPPRESSED");
    }

    @Test
    void remediationEnablesRotationWithAnAllowedPeriod() {
        FindingDraft off = Judge.finding(disabled, customerKey(), new RuleSettings(90, 180, "unusd", "true"));
        assertThat(off.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(off.remediation().get(0)).isEqualTo("aws kms enable-key-rotation --key-id "
                + "1234abcd-12ab-34cd-56ef-1234567890ab --rotation-period-in-days 180 --region eu-west-1");
        FindingDraft longPeriod = Judge.finding(tooLong, customerKey().rotation(true, 730, 2), RuleSettings.defaults());
        assertThat(longPeriod.severity()).isEqualTo(Severity.LOW);
        assertThat(longPeriod.detail()).isEqualTo("The key rotates every 730 days; the allowed maximum is 365 days.");
        assertThat(longPeriod.remediation().get(0)).isEqualTo("aws kms enable-key-rotation --key-id "
                + "1234abcd-12ab-34cd-56ef-1234567890ab --rotation-period-in-days 365 --region eu-west-1");
    }

    @Test
    void aReplicasRotationIsSetOnItsPrimary() {
        FindingDraft finding = Judge.finding(disabled, customerKey().replica(), RuleSettings.defaults());
        assertThat(finding.remediation().get(0)).endsWith("--rotation-period-in-days 365 --region us-east-1");
    }
}
