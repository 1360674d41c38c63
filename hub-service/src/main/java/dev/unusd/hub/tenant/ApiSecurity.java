package dev.unusd.hub.tenant;

import java.io.IOException;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;

import dev.unusd.hub.web.ProblemWriter;
import dev.unusd.hub.web.SecurityHeaders;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The API's filter chain: stateless bearer tokens, the admin token for {@code /api/v1/tenants}, a tenant API key for
 * everything else under {@code /api/}, nothing for the onboarding template (CloudFormation fetches it). Refusals are
 * problem details that say which token was wrong.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurity {

    static final String ADMIN_PATH = "/api/v1/tenants";
    static final String ROLE_ADMIN = "ADMIN";
    static final String ROLE_TENANT = "TENANT";

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, AdminToken adminToken, ApiKeyService apiKeys, ProblemWriter problems)
            throws Exception {
        return http
                .securityMatcher("/api/**")
                .addFilterAfter(new BearerTokenFilter(adminToken, apiKeys), SecurityContextHolderFilter.class)
                .authorizeHttpRequests(requests -> requests
                        // A streamed CSV finishes on an async dispatch of the request already authorised.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/api/v1/onboarding/**").permitAll()
                        .requestMatchers(ADMIN_PATH, ADMIN_PATH + "/**").hasRole(ROLE_ADMIN)
                        .anyRequest().hasRole(ROLE_TENANT))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> refuse(request, response, adminToken, problems))
                        .accessDeniedHandler((request, response, e) -> refuse(request, response, adminToken, problems)))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> anonymous.disable())
                .headers(SecurityHeaders.common())
                // Swagger UI needs scripts and styles; the JSON API needs nothing.
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                        .addHeaderWriter(new StaticHeadersWriter(HttpHeaders.CACHE_CONTROL, "private, no-cache")))
                .build();
    }

    /** 401 for a missing or unknown token, 403 for a valid token on the wrong side of the API. */
    private static void refuse(HttpServletRequest request, HttpServletResponse response, AdminToken adminToken,
            ProblemWriter problems) throws IOException {
        String path = request.getRequestURI();
        boolean adminPath = path.equals(ADMIN_PATH) || path.startsWith(ADMIN_PATH + "/");
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        BearerTokenFilter.Presented presented = BearerTokenFilter.presented(request);
        if (presented == BearerTokenFilter.Presented.NONE) {
            unauthorized(response, problems, "Missing bearer token");
        } else if (adminPath && !adminToken.enabled()) {
            problems.write(response, HttpStatus.FORBIDDEN, "The admin API is disabled: HUB_ADMIN_TOKEN is not set");
        } else if (adminPath && caller instanceof TenantAuthentication) {
            problems.write(response, HttpStatus.FORBIDDEN, "A tenant API key cannot use the admin API");
        } else if (adminPath) {
            unauthorized(response, problems, "Invalid admin token");
        } else if (caller instanceof AdminAuthentication) {
            problems.write(response, HttpStatus.FORBIDDEN, "The admin token cannot read tenant data; use a tenant API key");
        } else {
            unauthorized(response, problems, "Invalid or revoked API key");
        }
    }

    private static void unauthorized(HttpServletResponse response, ProblemWriter problems, String detail)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        problems.write(response, HttpStatus.UNAUTHORIZED, detail);
    }
}
