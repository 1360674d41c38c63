package dev.unusd.hub.web;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.CrossOriginOpenerPolicyHeaderWriter.CrossOriginOpenerPolicy;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/** The security headers every response carries, whichever filter chain answered it. */
public final class SecurityHeaders {

    private SecurityHeaders() {
    }

    /**
     * nosniff, no framing, no referrer, same-origin opener, and HSTS on plain http too (TLS ends at a proxy in
     * front of the hub). Cache headers are left to each chain: the API's ETags need revalidation, not no-store.
     */
    public static <H extends org.springframework.security.config.annotation.web.HttpSecurityBuilder<H>> Customizer<HeadersConfigurer<H>> common() {
        return headers -> headers
                .contentTypeOptions(Customizer.withDefaults())
                .frameOptions(HeadersConfigurer.FrameOptionsConfig::deny)
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                .crossOriginOpenerPolicy(coop -> coop.policy(CrossOriginOpenerPolicy.SAME_ORIGIN))
                .httpStrictTransportSecurity(hsts -> hsts.requestMatcher(AnyRequestMatcher.INSTANCE)
                        .maxAgeInSeconds(31_536_000).includeSubDomains(true))
                .cacheControl(HeadersConfigurer.CacheControlConfig::disable)
                .xssProtection(HeadersConfigurer.XXssConfig::disable);
    }
}
