package dev.unusd.hub.web;

import java.util.List;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Errors that never reach a controller (rejected by the servlet container, thrown or sent in a filter, such as a form
 * without its CSRF token) land here: answer them as problem details too, with the status only; a browser asking for a
 * page outside the API gets a page (HtmlErrorPages).
 */
@Hidden
@Controller
class HubErrorController implements ErrorController {

    /** A ModelAndView for a browser, problem details otherwise (the return value's class picks the handler). */
    @RequestMapping("${server.error.path:/error}")
    Object error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer i && HttpStatus.resolve(i) != null ? HttpStatus.valueOf(i) : HttpStatus.INTERNAL_SERVER_ERROR;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (HtmlErrorPages.wanted(request, uri instanceof String path ? path : request.getRequestURI())) {
            return HtmlErrorPages.page(status, switch (status) {
                case FORBIDDEN -> "The hub refused this request. If you sent a form, its page may have been open"
                        + " longer than your session: load the page again and send the form again.";
                case NOT_FOUND -> "There is no page at this address.";
                default -> status.getReasonPhrase();
            }, List.of());
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(status, status.getReasonPhrase()));
    }
}
