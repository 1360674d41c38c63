package dev.unusd.hub.rule;

import java.time.Instant;
import java.util.List;

import dev.unusd.hub.kms.KeyMetadata;
import dev.unusd.hub.kms.KeySnapshot;

/**
 * ROTATION_DISABLED (MEDIUM): a customer-managed SYMMETRIC_DEFAULT key with Origin AWS_KMS, not pending deletion, whose
 * automatic rotation is off. Other specs and origins cannot rotate automatically and are never flagged.
 */
public final class RotationDisabledRule implements Rule {

    static final String TITLE = "Automatic key rotation disabled";
    /** AWS's default period, or the tenant's maximum when that is shorter. */
    private static final int DEFAULT_PERIOD_DAYS = 365;

    @Override
    public FindingType type() {
        return FindingType.ROTATION_DISABLED;
    }

    @Override
    public Verdict judge(KeySnapshot key, RuleSettings settings, Instant now) {
        KeyMetadata metadata = key.metadata();
        if (metadata == null) {
            return new Verdict.Undecided("DescribeKey: " + key.unknown().get(KeySnapshot.METADATA));
        }
        if (!metadata.customerManaged() || !metadata.rotatable() || metadata.pendingDeletion()) {
            return Verdict.CLEAR;
        }
        if (!key.known(KeySnapshot.ROTATION)) {
            return new Verdict.Undecided("GetKeyRotationStatus: " + key.unknown().get(KeySnapshot.ROTATION));
        }
        if (key.rotation() == null || key.rotation().enabled()) {
            return Verdict.CLEAR;
        }
        int period = Math.min(DEFAULT_PERIOD_DAYS, settings.maxRotationPeriodDays());
        // A replica mirrors its primary's rotation: the setting lives on the primary.
        String region = metadata.replica() && metadata.primaryRegion() != null ? metadata.primaryRegion() : key.region();
        String detail = "Automatic rotation is off for this symmetric key"
                + (metadata.replica() ? " (a multi-Region replica: enable rotation on its primary in " + region + ")" : "")
                + ". Turn it on with a period of at most " + settings.maxRotationPeriodDays() + " days.";
        return Exemption.holds(key, settings, type(), TITLE, detail,
                new Evidence().with("rotationEnabled", false).with("spec", metadata.spec())
                        .with("origin", metadata.origin()).with("multiRegionType", metadata.multiRegionType()),
                List.of(Remediation.enableRotation(key.keyId(), region, period),
                        Remediation.exempt(key.keyId(), key.region(), settings)));
    }
}
