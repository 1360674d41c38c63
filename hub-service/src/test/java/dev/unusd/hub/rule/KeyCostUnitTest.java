package dev.unusd.hub.rule;

import static dev.unusd.hub.rule.KeyFixture.customerKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.unusd.hub.kms.KeySnapshot;

class KeyCostUnitTest {

    @ParameterizedTest
    @CsvSource({"0, 1.00", "1, 2.00", "2, 3.00", "3, 3.00", "12, 3.00"})
    void oneDollarPlusTheFirstTwoRotations(int rotations, String expected) {
        assertThat(KeyCost.monthlyUsd(customerKey().rotation(true, 365, rotations).snapshot()))
                .isEqualTo(new BigDecimal(expected));
    }

    @Test
    void freeWhilePendingDeletionAndForAwsManagedKeys() {
        assertThat(KeyCost.monthlyUsd(customerKey().state("PendingDeletion").rotation(true, 365, 2).snapshot()))
                .isEqualTo(new BigDecimal("0.00"));
        assertThat(KeyCost.monthlyUsd(customerKey().awsManaged().snapshot())).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void disabledImportedAndAsymmetricKeysAreBilled() {
        assertThat(KeyCost.monthlyUsd(customerKey().state("Disabled").snapshot())).isEqualTo(new BigDecimal("1.00"));
        assertThat(KeyCost.monthlyUsd(customerKey().origin("EXTERNAL").snapshot())).isEqualTo(new BigDecimal("1.00"));
        assertThat(KeyCost.monthlyUsd(customerKey().spec("RSA_4096").snapshot())).isEqualTo(new BigDecimal("1.00"));
    }

    @ParameterizedTest
    @CsvSource({"0, 1.00", "1, 2.00", "2, 3.00", "5, 3.00"})
    void importedKeyMaterialsOnDemandRotationsCostAsAnyOthers(int rotations, String expected) {
        assertThat(KeyCost.monthlyUsd(customerKey().origin("EXTERNAL").rotation(false, null, rotations).snapshot()))
                .isEqualTo(new BigDecimal(expected));
    }

    /** Unknown is never $0, nor $1 when it may be $3: the key's cost is unknown, a finding's the least it can be. */
    @Test
    void unknownWhileTheMetadataOrTheRotationsAreWithheld() {
        KeySnapshot undescribed = customerKey().undescribed().snapshot();
        assertThat(KeyCost.monthlyUsd(undescribed)).isNull();
        assertThat(KeyCost.findingMonthlyUsd(undescribed)).isEqualTo(new BigDecimal("0.00"));

        KeySnapshot uncounted = customerKey().rotationsUncounted().snapshot();
        assertThat(KeyCost.monthlyUsd(uncounted)).isNull();
        assertThat(KeyCost.findingMonthlyUsd(uncounted)).isEqualTo(new BigDecimal("1.00"));

        KeySnapshot statusDenied = customerKey().noRotation()
                .unknown(KeySnapshot.ROTATION, "AccessDeniedException: explicit deny").snapshot();
        assertThat(KeyCost.monthlyUsd(statusDenied)).isNull();
        // Pending deletion costs nothing, counted or not.
        assertThat(KeyCost.monthlyUsd(customerKey().state("PendingDeletion").rotationsUncounted().snapshot()))
                .isEqualTo(new BigDecimal("0.00"));
    }
}
