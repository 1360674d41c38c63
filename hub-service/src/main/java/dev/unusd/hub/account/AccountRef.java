package dev.unusd.hub.account;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A registered AWS account as other features see it. {@code regionsFromDefaults}: its regions were copied from the
 * tenant's default regions at registration, not listed for it.
 */
public record AccountRef(UUID id, UUID tenantId, String awsAccountId, String name, List<String> regions,
        boolean regionsFromDefaults, String roleName, String externalId, boolean enabled, AccountStatus status, Instant createdAt,
        @Nullable Instant lastVerifiedAt) {

    /** The spoke role the hub assumes in this account (commercial partition). */
    public String roleArn() {
        return "arn:aws:iam::" + awsAccountId + ":role/" + roleName;
    }
}
