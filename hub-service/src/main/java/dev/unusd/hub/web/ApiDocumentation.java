package dev.unusd.hub.web;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The OpenAPI document's frame: title, version, the bearer scheme (Swagger UI's Authorize), and the error answers
 * every operation can give, as problem details. Success codes other than 200 and errors particular to one operation
 * (409, 503) are declared on the controllers; the ones every operation of a kind shares are added here, by the rules
 * the filters and handlers apply, so the document cannot forget one.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String BEARER = "bearer";
    private static final String PROBLEM = "Problem";
    private static final String ADMIN_PATH = "/api/v1/tenants";
    private static final String PUBLIC_PATH = "/api/v1/onboarding/";
    private static final String DESCRIPTION = """
            The unusd hub finds the AWS KMS keys an organisation forgot about, or rotates too rarely, across its AWS \
            accounts, and serves findings with their evidence, their monthly cost and the command that fixes them.

            **Authentication**: `Authorization: Bearer <token>`, the admin token (`HUB_ADMIN_TOKEN`) for \
            `/api/v1/tenants`, a tenant API key for everything else. Use *Authorize* to try requests here.

            **Errors** are RFC 9457 problem details (`application/problem+json`), with `errors: [{field, message}]` \
            for invalid requests. Query strings are strict: an unknown parameter, or a single-valued one given twice, \
            is 400; the enum filters of `/findings` and `/keys` may be repeated, meaning any of the values.

            **Lists** page by keyset: `limit` (1-500, default 50) and the opaque `cursor` from `nextCursor`.""";

    @Bean
    OpenAPI hubOpenApi() {
        return new OpenAPI()
                .info(new Info().title("unusd hub API").version("v1").description(DESCRIPTION))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("The admin token for /api/v1/tenants, a tenant API key (unusd_...) otherwise")));
    }

    /** Documents the shape of every error answer. */
    @io.swagger.v3.oas.annotations.media.Schema(name = PROBLEM, description = "RFC 9457 problem details")
    record ProblemDocument(
            @io.swagger.v3.oas.annotations.media.Schema(example = "about:blank") String type,
            @io.swagger.v3.oas.annotations.media.Schema(example = "Bad Request") String title,
            @io.swagger.v3.oas.annotations.media.Schema(example = "400") int status,
            @io.swagger.v3.oas.annotations.media.Schema(description = "What went wrong") String detail,
            @io.swagger.v3.oas.annotations.media.Schema(description = "The request's path") @Nullable String instance,
            @io.swagger.v3.oas.annotations.media.Schema(description = "For invalid requests: each field or parameter"
                    + " and what is wrong with it") @Nullable List<FieldError> errors) {
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            Map<String, Schema> schemas = ModelConverters.getInstance(true)
                    .readAll(new AnnotatedType(ProblemDocument.class));
            schemas.forEach(openApi.getComponents()::addSchemas);
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                    .forEach((method, operation) -> document(path, method, operation)));
        };
    }

    private static void document(String path, PathItem.HttpMethod method, Operation operation) {
        if (!path.startsWith("/api/")) {
            return;
        }
        ApiResponses responses = operation.getResponses();
        add(responses, HttpStatus.BAD_REQUEST, "Invalid parameters or body: errors[] names each field or parameter");
        if (path.contains("{")) {
            add(responses, HttpStatus.NOT_FOUND, "No such resource of this tenant (or another tenant's)");
        }
        if (operation.getRequestBody() != null) {
            add(responses, HttpStatus.PAYLOAD_TOO_LARGE, "The body is larger than HUB_MAX_BODY_BYTES");
        }
        if (!path.startsWith(PUBLIC_PATH)) {
            operation.addSecurityItem(new SecurityRequirement().addList(BEARER));
            add(responses, HttpStatus.UNAUTHORIZED, "No bearer token, or an invalid or revoked one");
            if (path.startsWith(ADMIN_PATH)) {
                add(responses, HttpStatus.FORBIDDEN, "A tenant API key, or the admin API is disabled (HUB_ADMIN_TOKEN)");
            } else {
                add(responses, HttpStatus.FORBIDDEN, "The admin token, which cannot read tenant data");
                add(responses, HttpStatus.TOO_MANY_REQUESTS, "Beyond the API key's request rate")
                        .addHeaderObject(HttpHeaders.RETRY_AFTER, new Header().description("Seconds to wait")
                                .schema(new IntegerSchema()));
            }
        }
        if (method == PathItem.HttpMethod.GET
                && ConditionalGetFilter.isConditional(path.replace("{id}", "00000000-0000-0000-0000-000000000000"))) {
            add(responses, HttpStatus.NOT_MODIFIED, "If-None-Match holds the current ETag: no body");
        }
        ApiResponses ordered = new ApiResponses();
        responses.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            if (entry.getKey().startsWith("4") || entry.getKey().startsWith("5")) {
                entry.getValue().setContent(new Content().addMediaType(MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                        new io.swagger.v3.oas.models.media.MediaType()
                                .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
            }
            ordered.addApiResponse(entry.getKey(), entry.getValue());
        });
        operation.setResponses(ordered);
    }

    /** A response with this status unless the operation declares one already (with its own description). */
    private static ApiResponse add(ApiResponses responses, HttpStatus status, String description) {
        return responses.computeIfAbsent(String.valueOf(status.value()), code -> new ApiResponse()
                .description(description));
    }
}
