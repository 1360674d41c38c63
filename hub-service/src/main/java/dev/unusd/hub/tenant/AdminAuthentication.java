package dev.unusd.hub.tenant;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** The caller presented the admin token; it may manage tenants and read no tenant's data. */
final class AdminAuthentication extends AbstractAuthenticationToken {

    AdminAuthentication() {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + ApiSecurity.ROLE_ADMIN)));
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return "admin";
    }
}
