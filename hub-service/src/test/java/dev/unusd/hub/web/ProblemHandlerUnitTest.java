package dev.unusd.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

class ProblemHandlerUnitTest {

    /** A list endpoint's parameters, as a bean validated through a proxy ({@code @Validated}) declares them. */
    static class Listing {
        void list(@Min(1) @Max(500) int limit) {
        }
    }

    @Test
    void aConstraintViolationIsABadRequestNamingTheParameterNotTheMethod() throws Exception {
        Method list = Listing.class.getDeclaredMethod("list", int.class);
        Set<ConstraintViolation<Listing>> violations;
        try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
            violations = validation.getValidator().forExecutables()
                    .validateParameters(new Listing(), list, new Object[] { 501 });
        }

        ResponseEntity<Object> answer = new ProblemHandler()
                .constraintViolation(new ConstraintViolationException(violations));

        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        ProblemDetail problem = (ProblemDetail) answer.getBody();
        assertThat(problem.getDetail()).isEqualTo("Invalid request");
        assertThat(problem.getProperties()).containsEntry("errors",
                List.of(new FieldError("limit", "must be less than or equal to 500")));
    }
}
