package dev.unusd.hub.tenant;

import java.io.IOException;
import java.util.Optional;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.web.SecurityHeaders;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The dashboard's filter chain: a tenant API key, entered once on the sign-in page, is exchanged for a session
 * (the cookie is HttpOnly and SameSite=Lax, Secure on https; server.servlet.session in application.yml), every
 * form carries a CSRF token, and a session ends on sign-out, after the idle timeout, or when its key is revoked.
 * The session holds the key's id and tenant, never the key nor what a refused sign-in typed; it is stored in
 * PostgreSQL (Spring Session JDBC), so any hub instance serves it. Scripts and styles are not in this chain: they need
 * no session, and reading one costs a query.
 */
@Configuration(proxyBeanMethods = false)
class DashboardSecurity {

    static final String SIGN_IN = "/sign-in";

    @Bean
    @Order(2)
    SecurityFilterChain dashboard(HttpSecurity http, ApiKeyService apiKeys) throws Exception {
        return http
                .securityMatcher("/", SIGN_IN, "/sign-out", "/findings/**", "/keys/**", "/accounts/**", "/scans/**",
                        "/settings/**", "/suppressions/**")
                .authenticationProvider(new ApiKeySignIn(apiKeys))
                .addFilterAfter(new SessionTenantFilter(apiKeys), AuthorizationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers(SIGN_IN).permitAll()
                        .anyRequest().hasRole(ApiSecurity.ROLE_TENANT))
                .formLogin(form -> form
                        .loginPage(SIGN_IN)
                        .usernameParameter("apiKey")
                        .defaultSuccessUrl("/", false)
                        // Not failureUrl: its handler puts the exception in the session, and the exception carries
                        // the sign-in attempt with the token as typed. The page needs no more than ?error.
                        .failureHandler((request, response, refused) ->
                                response.sendRedirect(request.getContextPath() + SIGN_IN + "?error")))
                .logout(logout -> logout
                        .logoutUrl("/sign-out")
                        .logoutSuccessUrl(SIGN_IN + "?signed-out")
                        .deleteCookies("SESSION"))
                .headers(SecurityHeaders.common())
                // Every page is one tenant's data under a URL all tenants share: no cache keeps it, neither a proxy in
                // front of the hub (it would serve the page to the next tenant) nor the browser after signing out. A
                // page that sets its own Cache-Control keeps it.
                .headers(headers -> headers.cacheControl(Customizer.withDefaults()))
                // Scripts and styles only from the hub itself (WebJars, /assets); no inline script.
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")))
                .build();
    }

    /** Checks the key entered on the sign-in page (the form's apiKey field; no password). */
    private static final class ApiKeySignIn implements AuthenticationProvider {

        private final ApiKeyService apiKeys;

        ApiKeySignIn(ApiKeyService apiKeys) {
            this.apiKeys = apiKeys;
        }

        @Override
        public Authentication authenticate(Authentication attempt) {
            String presented = String.valueOf(attempt.getPrincipal()).trim();
            return apiKeys.authenticate(presented)
                    .map(k -> (Authentication) new TenantAuthentication(k.tenantId(), k.apiKeyId()))
                    .orElseThrow(() -> new BadCredentialsException("Invalid or revoked API key"));
        }

        @Override
        public boolean supports(Class<?> type) {
            return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
        }
    }

    /**
     * Runs a signed-in request as the session's tenant, so the pages read through the API's services under row-level
     * security, and counts it against its key's rate limit; a session whose key was revoked since ends here.
     */
    private static final class SessionTenantFilter extends OncePerRequestFilter {

        private final ApiKeyService apiKeys;

        SessionTenantFilter(ApiKeyService apiKeys) {
            this.apiKeys = apiKeys;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (!(SecurityContextHolder.getContext().getAuthentication() instanceof TenantAuthentication tenant)) {
                chain.doFilter(request, response);
                return;
            }
            try (TenantContext.Scope scope = TenantContext.open(tenant.tenantId())) {
                Optional<Long> findingsVersion = apiKeys.findingsVersionIfActive(tenant.apiKeyId());
                if (findingsVersion.isEmpty()) {
                    HttpSession session = request.getSession(false);
                    if (session != null) {
                        session.invalidate();
                    }
                    SecurityContextHolder.clearContext();
                    response.sendRedirect(request.getContextPath() + SIGN_IN + "?revoked");
                    return;
                }
                // Pages cached under it (findings, summary) are what a fresh read would return, as for the API.
                request.setAttribute(dev.unusd.hub.tenant.Authentication.FINDINGS_VERSION_ATTRIBUTE,
                        findingsVersion.get());
                // The session's pages spend its key's request budget (RateLimitFilter, after this chain), as the
                // key's API calls do: signing in must not lift the key's limit.
                request.setAttribute(dev.unusd.hub.tenant.Authentication.API_KEY_ATTRIBUTE, tenant.apiKeyId());
                chain.doFilter(request, response);
            }
        }
    }
}
