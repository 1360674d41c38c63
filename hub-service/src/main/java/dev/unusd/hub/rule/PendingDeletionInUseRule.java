package dev.unusd.hub.rule;

import static dev.unusd.hub.rule.Evidence.day;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.unusd.hub.kms.KeyMetadata;
import dev.unusd.hub.kms.KeySnapshot;
import dev.unusd.hub.kms.RefusedUse;
import dev.unusd.hub.kms.Usage;
import dev.unusd.hub.kms.UsagePolicy;

/**
 * PENDING_DELETION_IN_USE (HIGH): a customer-managed key scheduled for deletion that had successful cryptographic use
 * in the last 30 days, or a cryptographic call in that time that KMS refused because of the key's state (pending
 * deletion or disabled): a consumer still depends on it. Deleting it will break that consumer, and deleted key material
 * cannot be recovered. Where either is unknown and the other shows nothing, the rule is undecided.
 */
public final class PendingDeletionInUseRule implements Rule {

    static final String TITLE = "Key pending deletion is still in use";
    static final int WINDOW_DAYS = 30;

    @Override
    public FindingType type() {
        return FindingType.PENDING_DELETION_IN_USE;
    }

    @Override
    public Verdict judge(KeySnapshot key, RuleSettings settings, Instant now) {
        KeyMetadata metadata = key.metadata();
        if (metadata == null) {
            return new Verdict.Undecided("DescribeKey: " + key.unknown().get(KeySnapshot.METADATA));
        }
        if (!metadata.customerManaged() || !metadata.pendingDeletion()) {
            return Verdict.CLEAR;
        }
        Usage usage = key.usage();
        Instant since = UsagePolicy.since(now, WINDOW_DAYS);
        Boolean used = usage.usedSince(since, metadata.createdAt(), now);
        Usage.LastUse last = usage.lastUse();
        String deletion = metadata.deletionDate() == null ? "soon" : "on " + day(metadata.deletionDate());
        List<String> cli = List.of(Remediation.cancelDeletion(key.keyId(), key.region()),
                Remediation.enable(key.keyId(), key.region()));
        if (Boolean.TRUE.equals(used) && last != null) {
            String detail = "The key is scheduled for deletion " + deletion + " but was used on " + day(last.at())
                    + " (" + last.operation() + "). Deleting it will break whoever still uses it: cancel the deletion"
                    + " and re-enable the key.";
            return Exemption.holds(key, settings, type(), TITLE, detail,
                    new Evidence().usage(key).with("deletionDate", metadata.deletionDate()), cli);
        }
        // A key pending deletion cannot be used: a consumer that still needs it shows as calls KMS refuses.
        RefusedUse refused = key.refusedUse();
        if (refused != null && !refused.at().isBefore(since)) {
            String detail = "The key is scheduled for deletion " + deletion + " and a call to use it was refused on "
                    + day(refused.at()) + " (" + refused.operation() + ": " + refused.errorCode() + "): something"
                    + " still depends on it. Deleting it will break that for good: cancel the deletion and re-enable"
                    + " the key.";
            return Exemption.holds(key, settings, type(), TITLE, detail,
                    new Evidence().usage(key).with("deletionDate", metadata.deletionDate())
                            .with("refusedAt", refused.at()).with("refusedOperation", refused.operation())
                            .with("refusedErrorCode", refused.errorCode())
                            .with("refusedCloudTrailEventId", refused.cloudTrailEventId()),
                    cli);
        }
        if (used == null) {
            return new Verdict.Undecided("usage unknown: " + key.unknown().getOrDefault(KeySnapshot.USAGE, "not checked"));
        }
        if (!key.known(KeySnapshot.REFUSED_USE)) {
            return new Verdict.Undecided("refused calls unknown: " + key.unknown().get(KeySnapshot.REFUSED_USE));
        }
        return Verdict.CLEAR;
    }
}
