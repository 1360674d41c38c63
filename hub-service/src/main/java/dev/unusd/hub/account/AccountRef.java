package dev.unusd.hub.account;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.unusd.hub.aws.AwsRegions;

/**
 * A registered AWS account as other features see it. {@code regionsFromDefaults}: its regions were copied from the
 * tenant's default regions at registration, not listed for it. No regions: it covers every region
 * ({@link #coveredRegions()}). An account an organisation registered carries the organisation, its OU path
 * ({@code o-.../r-.../ou-.../}) and tags; {@code deactivatedReason} says why a sync (or removing the organisation)
 * disabled it, {@code deactivatedAt} when.
 */
public record AccountRef(UUID id, UUID tenantId, String awsAccountId, String name, List<String> regions,
        boolean regionsFromDefaults, String roleName, String externalId, boolean enabled, AccountStatus status, Instant createdAt,
        @Nullable Instant lastVerifiedAt, @Nullable UUID organizationId, @Nullable String ouPath, Map<String, String> tags,
        @Nullable Deactivation deactivatedReason, @Nullable Instant deactivatedAt) {

    /** An account registered by hand, in no organisation. */
    public AccountRef(UUID id, UUID tenantId, String awsAccountId, String name, List<String> regions,
            boolean regionsFromDefaults, String roleName, String externalId, boolean enabled, AccountStatus status,
            Instant createdAt, @Nullable Instant lastVerifiedAt) {
        this(id, tenantId, awsAccountId, name, regions, regionsFromDefaults, roleName, externalId, enabled, status,
                createdAt, lastVerifiedAt, null, null, Map.of(), null, null);
    }

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
