package dev.unusd.hub.organization;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A registered organisation. {@code managementAccountId} is the account its reader role lives in: the management
 * account or a delegated administrator. No organisational units means the whole organisation (its root).
 */
record OrganizationRecord(UUID id, UUID tenantId, String managementAccountId, String name,
        @Nullable String awsOrganizationId, List<String> organizationalUnits, List<String> excludeAccounts,
        @Nullable List<String> regions, String externalId, String readerRoleName, String spokeRoleName,
        Instant createdAt, @Nullable Instant lastSyncedAt) {

    String readerRoleArn() {
        return "arn:aws:iam::" + managementAccountId + ":role/" + readerRoleName;
    }
}
