package dev.unusd.hub.web;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A browser that asks for a page outside the API and meets an error gets it as a page of the dashboard, with its
 * navigation when signed in; everything else (the API, curl, scripts) keeps its problem details (ProblemHandler,
 * HubErrorController). Ordered before the problem handlers, it declines what is not a browser's.
 */
@Component
class HtmlErrorPages implements HandlerExceptionResolver, Ordered {

    private static final Logger log = LoggerFactory.getLogger(HtmlErrorPages.class);
    private static final String VIEW = "dashboard/error";

    /** Whether a request for {@code path} wants an HTML answer: not the API's, and text/html named in Accept. */
    static boolean wanted(HttpServletRequest request, String path) {
        if (path.equals("/api") || path.startsWith("/api/")) {
            return false;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null) {
            return false;
        }
        try {
            // Named, not matched: "*/*" is what scripts send, and they read problem details.
            return MediaType.parseMediaTypes(accept).stream()
                    .anyMatch(type -> type.getType().equals("text") && type.getSubtype().equals("html"));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    static ModelAndView page(HttpStatus status, String detail, List<FieldError> errors) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        boolean signedIn = caller != null && caller.isAuthenticated()
                && caller.getAuthorities().stream().anyMatch(a -> "ROLE_TENANT".equals(a.getAuthority()));
        ModelAndView page = new ModelAndView(VIEW, Map.of("status", status.value(), "title", title(status),
                "detail", detail, "errors", errors, "signedIn", signedIn));
        page.setStatus(status);
        return page;
    }

    @Override
    public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
            @Nullable Object handler, Exception e) {
        if (!wanted(request, request.getRequestURI()) || response.isCommitted()) {
            return null;
        }
        if (e instanceof ApiException api) {
            return page(api.status(), api.getMessage(), api.errors());
        }
        if (e instanceof NoResourceFoundException) {
            return page(HttpStatus.NOT_FOUND, "There is no page at this address.", List.of());
        }
        if (e instanceof TypeMismatchException mismatch) {
            String name = mismatch.getPropertyName() == null ? "a parameter" : "'" + mismatch.getPropertyName() + "'";
            return page(HttpStatus.BAD_REQUEST, "The address has an invalid value for " + name + ".", List.of());
        }
        if (e instanceof ErrorResponse known) {
            HttpStatus status = HttpStatus.resolve(known.getStatusCode().value());
            if (status != null) {
                return page(status, status.getReasonPhrase(), List.of());
            }
        }
        log.error("Unhandled error", e);
        return page(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side; it was logged.", List.of());
    }

    private static String title(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "Page not found";
            case FORBIDDEN -> "Not allowed";
            case BAD_REQUEST -> "Invalid request";
            case INTERNAL_SERVER_ERROR -> "Internal error";
            default -> status.getReasonPhrase();
        };
    }

    @Override
    public int getOrder() {
        // After Boot's DefaultErrorAttributes (HIGHEST_PRECEDENCE, records the error), before the @ExceptionHandlers.
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
