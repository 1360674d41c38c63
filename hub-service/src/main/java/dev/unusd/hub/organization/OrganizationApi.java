package dev.unusd.hub.organization;

import java.util.Set;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.TenantContext;

/** What other features may ask about the organisations a tenant onboarded. */
@Component
public class OrganizationApi {

    private final Organizations organizations;

    OrganizationApi(Organizations organizations) {
        this.organizations = organizations;
    }

    /**
     * The AWS Organizations ({@code o-...}) of the tenant in context, as its syncs read them: a key policy that
     * lets in only their members lets in no one outside the tenant. An organisation never synced is not known yet.
     */
    @Transactional(readOnly = true)
    public Set<String> awsOrganizationIds() {
        return Set.copyOf(organizations.awsOrganizationIds(TenantContext.require()));
    }
}
