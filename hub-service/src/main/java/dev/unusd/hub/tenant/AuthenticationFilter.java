package dev.unusd.hub.tenant;

import java.io.IOException;
import java.util.Optional;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates every API request before it is routed: the admin token for {@code /api/v1/tenants}, a tenant API
 * key for everything else under {@code /api/}, nothing for the onboarding template (CloudFormation fetches it).
 * A tenant request runs with its tenant in {@link TenantContext}, which row-level security enforces.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AuthenticationFilter extends OncePerRequestFilter {

    private static final String ADMIN_PATH = "/api/v1/tenants";
    private static final String PUBLIC_PATH = "/api/v1/onboarding/";

    private final AdminToken adminToken;
    private final ApiKeyService apiKeys;
    private final ProblemWriter problems;

    AuthenticationFilter(AdminToken adminToken, ApiKeyService apiKeys, ProblemWriter problems) {
        this.adminToken = adminToken;
        this.apiKeys = apiKeys;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith("/api/") || path.startsWith(PUBLIC_PATH);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        boolean adminPath = path.equals(ADMIN_PATH) || path.startsWith(ADMIN_PATH + "/");
        Optional<String> token = bearer(request);
        if (token.isEmpty()) {
            unauthorized(response, "Missing bearer token");
            return;
        }
        if (adminPath) {
            if (!adminToken.enabled()) {
                problems.write(response, HttpStatus.FORBIDDEN, "The admin API is disabled: HUB_ADMIN_TOKEN is not set");
            } else if (adminToken.matches(token.get())) {
                chain.doFilter(request, response);
            } else if (apiKeys.authenticate(token.get()).isPresent()) {
                problems.write(response, HttpStatus.FORBIDDEN, "A tenant API key cannot use the admin API");
            } else {
                unauthorized(response, "Invalid admin token");
            }
            return;
        }
        Optional<ApiKeyService.Authenticated> tenant = apiKeys.authenticate(token.get());
        if (tenant.isPresent()) {
            request.setAttribute(Authentication.API_KEY_ATTRIBUTE, tenant.get().apiKeyId());
            request.setAttribute(Authentication.FINDINGS_VERSION_ATTRIBUTE, tenant.get().findingsVersion());
            try (TenantContext.Scope scope = TenantContext.open(tenant.get().tenantId())) {
                chain.doFilter(request, response);
            }
        } else if (adminToken.matches(token.get())) {
            problems.write(response, HttpStatus.FORBIDDEN, "The admin token cannot read tenant data; use a tenant API key");
        } else {
            unauthorized(response, "Invalid or revoked API key");
        }
    }

    private void unauthorized(HttpServletResponse response, String detail) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        problems.write(response, HttpStatus.UNAUTHORIZED, detail);
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
