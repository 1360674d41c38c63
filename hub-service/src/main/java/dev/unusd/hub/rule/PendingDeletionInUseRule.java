package dev.unusd.hub.rule;

import static dev.unusd.hub.rule.Evidence.day;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.unusd.hub.kms.KeyMetadata;
import dev.unusd.hub.kms.KeySnapshot;
import dev.unusd.hub.kms.Usage;
import dev.unusd.hub.kms.UsagePolicy;

/**
 * PENDING_DELETION_IN_USE (HIGH): a customer-managed key scheduled for deletion that had successful cryptographic use
 * in the last 30 days. Deleting it will break that consumer, and deleted key material cannot be recovered.
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
        Boolean used = usage.usedSince(UsagePolicy.since(now, WINDOW_DAYS), metadata.createdAt(), now);
        if (used == null) {
            return new Verdict.Undecided("usage unknown: " + key.unknown().getOrDefault(KeySnapshot.USAGE, "not checked"));
        }
        Usage.LastUse last = usage.lastUse();
        if (!used || last == null) {
            return Verdict.CLEAR;
        }
        String deletion = metadata.deletionDate() == null ? "soon" : "on " + day(metadata.deletionDate());
        String detail = "The key is scheduled for deletion " + deletion + " but was used on " + day(last.at()) + " ("
                + last.operation() + "). Deleting it will break whoever still uses it: cancel the deletion and"
                + " re-enable the key.";
        return Exemption.holds(key, settings, type(), TITLE, detail,
                new Evidence().usage(key).with("deletionDate", metadata.deletionDate()),
                List.of(Remediation.cancelDeletion(key.keyId(), key.region()),
                        Remediation.enable(key.keyId(), key.region())));
    }
}
