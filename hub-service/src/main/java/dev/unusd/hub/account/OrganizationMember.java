package dev.unusd.hub.account;

import java.util.Map;
import java.util.UUID;

/**
 * An ACTIVE account an organisation's sync found under its chosen OUs: registered (or kept) as an account of the
 * tenant with the organisation's ExternalId and spoke-role name.
 */
public record OrganizationMember(String awsAccountId, String name, UUID organizationId, String ouPath,
        Map<String, String> tags, String roleName, String externalId) {

    public OrganizationMember {
        tags = Map.copyOf(tags);
    }
}
