package dev.unusd.hub.rule;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

import dev.unusd.hub.kms.KeySnapshot;

/**
 * What a key costs a month: $1 for a customer-managed key (each multi-Region replica and imported key too), +$1 for
 * each of the first two rotations, automatic or on demand, imported key material's included (capped since April 2024,
 * so at most $3), nothing while pending deletion, nothing for AWS-managed keys. Request charges are left out.
 */
public final class KeyCost {

    private static final BigDecimal LEAST = BigDecimal.ONE.setScale(2);

    private KeyCost() {
    }

    /** Null when it cannot be known: the key's metadata withheld, or its rotations (up to $2) not counted. */
    public static @Nullable BigDecimal monthlyUsd(KeySnapshot key) {
        if (key.metadata() == null) {
            return null;
        }
        if (!key.customerManaged() || key.pendingDeletion()) {
            return BigDecimal.ZERO.setScale(2);
        }
        KeySnapshot.Rotation rotation = key.rotation();
        boolean counted = rotation == null ? key.known(KeySnapshot.ROTATION) : rotation.rotations() != null;
        if (!counted) {
            return null;
        }
        int rotations = rotation == null ? 0 : rotation.rotations();
        return BigDecimal.valueOf(1 + Math.min(rotations, 2)).setScale(2);
    }

    /** What a finding on the key is worth a month: its cost, or the least it can be while its rotations are uncounted. */
    public static BigDecimal findingMonthlyUsd(KeySnapshot key) {
        BigDecimal cost = monthlyUsd(key);
        return cost != null ? cost : key.customerManaged() && !key.pendingDeletion() ? LEAST : BigDecimal.ZERO.setScale(2);
    }
}
