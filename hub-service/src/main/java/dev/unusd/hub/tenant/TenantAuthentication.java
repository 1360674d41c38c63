package dev.unusd.hub.tenant;

import java.util.List;
import java.util.UUID;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A tenant's API key, presented as a bearer token or exchanged for a dashboard session. Holds ids only: the key's
 * secret is never kept, not even in a session.
 */
public final class TenantAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final UUID tenantId;
    private final UUID apiKeyId;

    TenantAuthentication(UUID tenantId, UUID apiKeyId) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + ApiSecurity.ROLE_TENANT)));
        this.tenantId = tenantId;
        this.apiKeyId = apiKeyId;
        setAuthenticated(true);
    }

    public UUID tenantId() {
        return tenantId;
    }

    public UUID apiKeyId() {
        return apiKeyId;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return apiKeyId;
    }
}
