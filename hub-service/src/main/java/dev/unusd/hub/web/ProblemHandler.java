package dev.unusd.hub.web;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ResolvableType;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into RFC 9457 problem details with field-level messages, and never lets an internal
 * detail (class names, SQL, stack traces) reach the caller.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        return ResponseEntity.status(e.status()).body(Problems.of(e.status(), e.getMessage(), e.errors()));
    }

    /**
     * Method validation through a proxy ({@code @Validated} on a bean) throws this instead of Spring MVC's
     * HandlerMethodValidationException; either way the caller sent a bad value, named as the other 400s name it.
     */
    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> constraintViolation(ConstraintViolationException e) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(new FieldError(field(violation.getPropertyPath()), violation.getMessage()));
        }
        return badRequest(errors);
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<Object> tooLarge(BodyTooLargeException e) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .body(Problems.of(HttpStatus.CONTENT_TOO_LARGE, e.detail()));
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e) {
        // Validation runs before writes; what still reaches a constraint is a concurrent duplicate.
        log.info("Constraint violation answered with 409: {}", e.getMostSpecificCause().getClass().getSimpleName());
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .body(Problems.of(HttpStatus.CONFLICT, "The request conflicts with the current state of the resource"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unhandled error", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = new ArrayList<>();
        e.getBindingResult().getFieldErrors()
                .forEach(f -> errors.add(new FieldError(f.getField(), String.valueOf(f.getDefaultMessage()))));
        e.getBindingResult().getGlobalErrors()
                .forEach(g -> errors.add(new FieldError(g.getObjectName(), String.valueOf(g.getDefaultMessage()))));
        return badRequest(errors);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = new ArrayList<>();
        for (ParameterValidationResult result : e.getParameterValidationResults()) {
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors().forEach(r -> errors.add(new FieldError(String.valueOf(name), String.valueOf(r.getDefaultMessage()))));
        }
        return badRequest(errors);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String field = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : String.valueOf(e.getPropertyName());
        Class<?> type = e.getRequiredType();
        if (e instanceof MethodArgumentTypeMismatchException m && type != null
                && java.util.Collection.class.isAssignableFrom(type)) {
            // A repeatable parameter: say what each of its values must be.
            Class<?> element = ResolvableType.forMethodParameter(m.getParameter()).asCollection().resolveGeneric(0);
            type = element == null ? type : element;
        }
        String expected = type == null ? "a valid value" : describe(type);
        return badRequest(List.of(new FieldError(field, "must be " + expected)));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof BodyTooLargeException tooLarge) {
                return tooLarge(tooLarge); // thrown by the bounded stream, wrapped by Jackson
            }
        }
        Throwable cause = e.getCause();
        if (cause instanceof PlainTextException t) {
            return badRequest(List.of(new FieldError(path(t), t.fault())));
        }
        if (cause instanceof UnrecognizedPropertyException u) {
            return badRequest(List.of(new FieldError(path(u), "unknown field")));
        }
        if (cause instanceof InvalidFormatException f) {
            return badRequest(List.of(new FieldError(path(f), "must be " + describe(f.getTargetType()))));
        }
        if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            Class<?> target = m.getTargetType();
            return badRequest(List.of(new FieldError(path(m), target == null ? "has the wrong type" : "must be " + describe(target))));
        }
        String detail = cause instanceof JacksonException ? "Malformed JSON in request body" : "Request body is missing or unreadable";
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, detail);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(Problems.of(HttpStatus.NOT_FOUND, "No such endpoint: " + e.getHttpMethod() + " /" + e.getResourcePath()));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        // Spring's own defaults can echo exception messages; keep its status, replace anything else by a plain detail.
        if (body instanceof ProblemDetail problem) {
            return ResponseEntity.status(status).headers(headers).body(problem);
        }
        return ResponseEntity.status(status).headers(headers)
                .body(Problems.of(status, HttpStatus.valueOf(status.value()).getReasonPhrase()));
    }

    private static ResponseEntity<Object> badRequest(List<FieldError> errors) {
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "Invalid request", errors));
    }

    /** {@code list.limit} is parameter {@code limit}: the method's name means nothing to the caller. */
    private static String field(Path path) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                continue;
            }
            if (!field.isEmpty()) {
                field.append('.');
            }
            field.append(node);
        }
        return field.isEmpty() ? "request" : field.toString();
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 timestamp";
        }
        return "an object";
    }
}
