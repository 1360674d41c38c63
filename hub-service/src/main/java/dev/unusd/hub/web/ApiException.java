package dev.unusd.hub.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/** A request the hub refuses for a reason the caller can act on; rendered as RFC 9457 problem details. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final List<FieldError> errors;

    public ApiException(HttpStatus status, String detail) {
        this(status, detail, List.of());
    }

    public ApiException(HttpStatus status, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, what + " not found");
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, detail);
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", List.of(new FieldError(field, message)));
    }

    public static ApiException badRequest(List<FieldError> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", errors);
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
