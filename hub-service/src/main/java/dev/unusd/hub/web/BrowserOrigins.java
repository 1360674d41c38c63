package dev.unusd.hub.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * CORS for browser dashboards served from another origin, the ones HUB_CORS_ORIGINS lists (none by default: then no
 * filter at all). Spring's CorsFilter runs before authentication, because a preflight carries no token: it answers a
 * preflight itself, and puts the CORS headers on every answer to an allowed origin, 401 and 429 included, so the
 * dashboard can read why. A refused origin's preflight is 403 problem details; its other requests (which browsers
 * send only after a preflight, since every API call carries Authorization) get no CORS headers, so no page of that
 * origin can read the answer, while a proxy that hides the hub's own origin from it does not break Swagger UI.
 */
@Configuration(proxyBeanMethods = false)
class BrowserOrigins {

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    static final List<String> REQUEST_HEADERS = List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
            HttpHeaders.ACCEPT, HttpHeaders.IF_NONE_MATCH);
    static final List<String> EXPOSED_HEADERS = List.of(HttpHeaders.ETAG, HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER,
            HttpHeaders.CONTENT_DISPOSITION);

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(@Value("${hub.cors-origins:}") List<String> origins,
            ProblemWriter problems) {
        List<String> allowed = origins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
        CorsConfiguration api = new CorsConfiguration();
        // Patterns, so that https://*.example.com works; bearer tokens, not cookies: no credentials.
        api.setAllowedOriginPatterns(allowed);
        api.setAllowedMethods(METHODS);
        api.setAllowedHeaders(REQUEST_HEADERS);
        api.setExposedHeaders(EXPOSED_HEADERS);
        api.setAllowCredentials(false);
        api.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", api);
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new ApiCorsProcessor(problems));
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(filter);
        // After the request size limit and security headers, before authentication (AuthenticationFilter: +10).
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        registration.setEnabled(!allowed.isEmpty());
        return registration;
    }

    private static final class ApiCorsProcessor extends DefaultCorsProcessor {

        private final ProblemWriter problems;

        ApiCorsProcessor(ProblemWriter problems) {
            this.problems = problems;
        }

        @Override
        public boolean processRequest(@Nullable CorsConfiguration config, HttpServletRequest request,
                HttpServletResponse response) throws IOException {
            if (config != null && CorsUtils.isCorsRequest(request) && !CorsUtils.isPreFlightRequest(request)
                    && config.checkOrigin(request.getHeader(HttpHeaders.ORIGIN)) == null) {
                return true;
            }
            return super.processRequest(config, request, response);
        }

        @Override
        protected void rejectRequest(ServerHttpResponse response) throws IOException {
            problems.write(((ServletServerHttpResponse) response).getServletResponse(), HttpStatus.FORBIDDEN,
                    "Cross-origin request refused: this origin, method or header is not allowed (HUB_CORS_ORIGINS)");
        }
    }
}
