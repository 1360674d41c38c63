package dev.unusd.hub.account;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.unusd.hub.aws.AwsRegions;

/**
 * A registered AWS account as other features see it. {@code regionsFromDefaults}: its regions were copied from the
 * tenant's default regions at registration, not listed for it. No regions: it covers every region
 * ({@link #coveredRegions()}).
 */
public record AccountRef(UUID id, UUID tenantId, String awsAccountId, String name, List<String> regions,
        boolean regionsFromDefaults, String roleName, String externalId, boolean enabled, AccountStatus status, Instant createdAt,
        @Nullable Instant lastVerifiedAt) {

    /** Whether the account has no region list and so covers every region its spoke role can reach. */
    public boolean everyRegion() {
        return regions.isEmpty();
    }

    /**
     * The regions a scan covers: those listed, or every commercial region when none are, resolved when asked so that a
     * region the account enables later is in the next scan (one it has not enabled is SKIPPED).
     */
    public List<String> coveredRegions() {
        return everyRegion() ? AwsRegions.commercial() : regions;
    }

    /** The spoke role the hub assumes in this account (commercial partition). */
    public String roleArn() {
        return "arn:aws:iam::" + awsAccountId + ":role/" + roleName;
    }
}
