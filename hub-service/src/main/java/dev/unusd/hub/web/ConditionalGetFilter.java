package dev.unusd.hub.web;

import java.util.regex.Pattern;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

import jakarta.servlet.http.HttpServletRequest;

/**
 * ETags on the summary and on single resources, answering If-None-Match with 304: a polling dashboard then
 * downloads a body only when it changed. The tag is a hash of the body, so it needs no per-resource versioning;
 * lists are left out (their bodies are large, and the CSV streams and must never be buffered).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
class ConditionalGetFilter extends ShallowEtagHeaderFilter {

    private static final Pattern CONDITIONAL = Pattern.compile(
            "/api/v1/(summary|keys/.+|(findings|accounts|scans)/[0-9a-fA-F-]{36})");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !isConditional(request.getRequestURI());
    }

    /** Whether GET answers on this path carry an ETag and answer If-None-Match. */
    static boolean isConditional(String path) {
        return CONDITIONAL.matcher(path).matches();
    }
}
