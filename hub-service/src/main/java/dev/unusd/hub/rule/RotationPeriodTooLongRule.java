package dev.unusd.hub.rule;

import java.time.Instant;
import java.util.List;

import dev.unusd.hub.kms.KeyMetadata;
import dev.unusd.hub.kms.KeySnapshot;

/** ROTATION_PERIOD_TOO_LONG (LOW): a customer-managed key rotating automatically less often than the tenant allows. */
public final class RotationPeriodTooLongRule implements Rule {

    static final String TITLE = "Key rotation period longer than allowed";

    @Override
    public FindingType type() {
        return FindingType.ROTATION_PERIOD_TOO_LONG;
    }

    @Override
    public Verdict judge(KeySnapshot key, RuleSettings settings, Instant now) {
        KeyMetadata metadata = key.metadata();
        if (metadata == null) {
            return new Verdict.Undecided("DescribeKey: " + key.unknown().get(KeySnapshot.METADATA));
        }
        if (!metadata.customerManaged() || !metadata.rotatable()) {
            return Verdict.CLEAR;
        }
        if (!key.known(KeySnapshot.ROTATION)) {
            return new Verdict.Undecided("GetKeyRotationStatus: " + key.unknown().get(KeySnapshot.ROTATION));
        }
        KeySnapshot.Rotation rotation = key.rotation();
        if (rotation == null || !rotation.enabled() || rotation.periodDays() == null
                || rotation.periodDays() <= settings.maxRotationPeriodDays()) {
            return Verdict.CLEAR;
        }
        String region = metadata.replica() && metadata.primaryRegion() != null ? metadata.primaryRegion() : key.region();
        String detail = "The key rotates every " + rotation.periodDays() + " days; the allowed maximum is "
                + settings.maxRotationPeriodDays() + " days.";
        return Exemption.holds(key, settings, type(), TITLE, detail,
                new Evidence().with("rotationPeriodDays", rotation.periodDays())
                        .with("maxRotationPeriodDays", settings.maxRotationPeriodDays())
                        .with("nextRotationAt", rotation.nextRotationAt()),
                List.of(Remediation.enableRotation(key.keyId(), region, settings.maxRotationPeriodDays()),
                        Remediation.exempt(key.keyId(), key.region(), settings)));
    }
}
