package dev.unusd.hub.tenant;

import java.io.IOException;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.unusd.hub.db.TenantContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Turns the bearer token of an API request into who is calling: the admin, or a tenant's API key, whose tenant the
 * rest of the request then runs as ({@link TenantContext}, which row-level security enforces). What the caller may
 * do is the filter chain's authorisation rules; an unknown token leaves the request unauthenticated.
 * Not a bean: Spring Boot would register it for every request outside the chain too.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private static final String PRESENTED_ATTRIBUTE = BearerTokenFilter.class.getName() + ".presented";

    enum Presented { NONE, TOKEN }

    private final AdminToken adminToken;
    private final ApiKeyService apiKeys;

    BearerTokenFilter(AdminToken adminToken, ApiKeyService apiKeys) {
        this.adminToken = adminToken;
        this.apiKeys = apiKeys;
    }

    static Presented presented(HttpServletRequest request) {
        return request.getAttribute(PRESENTED_ATTRIBUTE) instanceof Presented p ? p : Presented.NONE;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> token = bearer(request);
        request.setAttribute(PRESENTED_ATTRIBUTE, token.isPresent() ? Presented.TOKEN : Presented.NONE);
        if (token.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        if (adminToken.matches(token.get())) {
            authenticate(new AdminAuthentication());
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiKeyService.Authenticated> tenant = apiKeys.authenticate(token.get());
        if (tenant.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(Authentication.API_KEY_ATTRIBUTE, tenant.get().apiKeyId());
        request.setAttribute(Authentication.FINDINGS_VERSION_ATTRIBUTE, tenant.get().findingsVersion());
        authenticate(new TenantAuthentication(tenant.get().tenantId(), tenant.get().apiKeyId()));
        try (TenantContext.Scope scope = TenantContext.open(tenant.get().tenantId())) {
            chain.doFilter(request, response);
        }
    }

    private static void authenticate(org.springframework.security.core.Authentication caller) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(caller);
        SecurityContextHolder.setContext(context);
    }

    private static Optional<String> bearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() || token.length() > 512 ? Optional.empty() : Optional.of(token);
    }
}
