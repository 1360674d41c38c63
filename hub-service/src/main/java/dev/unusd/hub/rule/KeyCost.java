package dev.unusd.hub.rule;

import java.math.BigDecimal;

import dev.unusd.hub.kms.KeySnapshot;

/**
 * What a key costs a month: $1 for a customer-managed key (each multi-Region replica and imported key too), +$1 for
 * each of the first two rotations (capped since April 2024, so at most $3), nothing while pending deletion, nothing
 * for AWS-managed keys. Request charges are left out.
 */
public final class KeyCost {

    private KeyCost() {
    }

    public static BigDecimal monthlyUsd(KeySnapshot key) {
        if (!key.customerManaged() || key.pendingDeletion()) {
            return BigDecimal.ZERO.setScale(2);
        }
        int rotations = key.rotation() == null || key.rotation().rotations() == null ? 0 : key.rotation().rotations();
        return BigDecimal.valueOf(1 + Math.min(rotations, 2)).setScale(2);
    }
}
