package dev.unusd.hub.finding;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.unusd.hub.aws.AwsRegions;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.rule.FindingType;
import dev.unusd.hub.rule.Severity;
import dev.unusd.hub.tenant.Authentication;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.RepeatedParameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

@RestController
@RequestMapping("/api/v1/findings")
@Tag(name = "Findings", description = "What is wrong with which key, its cost, and the command that fixes it")
class FindingController {

    /** An OU or root id; no LIKE wildcard can pass it, so it goes into a path pattern as it is. */
    static final String OU_ID = "ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32}";
    static final String OU_ID_MESSAGE = "must be an OU id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)";

    static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");

    private final FindingQueries findings;
    private final FindingPages pages;
    private final FindingExport export;

    FindingController(FindingQueries findings, FindingPages pages, FindingExport export) {
        this.findings = findings;
        this.pages = pages;
        this.export = export;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List findings, worst first by default; with Accept: text/csv, every finding of the filter",
            description = "type, status and severity may be repeated (status=OPEN&status=SUPPRESSED): any of the"
                    + " values; every other parameter is given at most once")
    @ApiResponse(responseCode = "200", description = "A page of findings", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = FindingPage.class)))
    ResponseEntity<byte[]> list(
            @RequestParam(required = false) @Parameter(description = "Any of these types")
            @Nullable List<FindingType> type,
            @RequestParam(defaultValue = "OPEN") @Parameter(description = "Any of these statuses")
            List<FindingItem.Status> status,
            @RequestParam(required = false) @Parameter(description = "Any of these severities")
            @Nullable List<Severity> severity,
            @RequestParam(required = false) @Parameter(description = "The hub's id of the account")
            @Nullable UUID accountId,
            @RequestParam(required = false) @Parameter(description = "The 12-digit AWS account id")
            @Pattern(regexp = "\\d{12}", message = "must be a 12-digit AWS account id") @Nullable String awsAccountId,
            @RequestParam(required = false) @AwsRegions.Known @Nullable String region,
            @RequestParam(required = false) @Parameter(description = "An OU (ou-...) or root (r-...) id: findings of"
                    + " the accounts an organisation registered under it, its child OUs included")
            @Pattern(regexp = OU_ID, message = OU_ID_MESSAGE) @Nullable String ou,
            @RequestParam(required = false) @Parameter(description = "true: only findings of accounts an organisation"
                    + " deactivated (their accountDeactivated is set); false: none of them; absent: all")
            @Nullable Boolean accountDeactivated,
            @RequestParam(required = false) @Parameter(description = "true: only findings no recent scan vouches for"
                    + " (their unverified is set); false: none of them; absent: all")
            @Nullable Boolean unverified,
            @RequestParam(defaultValue = "-severity") @Parameter(schema = @Schema(allowableValues = {"-severity",
                    "-firstSeenAt", "-monthlyCostUsd"})) String sort,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @Nullable String cursor,
            HttpServletRequest request) {
        byte[] page = pages.page(Authentication.findingsVersion(request),
                filter(type, status, severity, accountId, awsAccountId, region, ou, accountDeactivated, unverified),
                FindingQueries.Sort.parse(sort),
                limit, cursor);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(page);
    }

    @GetMapping(produces = "text/csv")
    @Operation(summary = "Every finding of the filter as CSV, streamed")
    @ApiResponse(responseCode = "200", description = "CSV with a header line",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string", types = "string")))
    ResponseEntity<StreamingResponseBody> csv(
            @RequestParam(required = false) @Nullable List<FindingType> type,
            @RequestParam(defaultValue = "OPEN") List<FindingItem.Status> status,
            @RequestParam(required = false) @Nullable List<Severity> severity,
            @RequestParam(required = false) @Nullable UUID accountId,
            @RequestParam(required = false)
            @Pattern(regexp = "\\d{12}", message = "must be a 12-digit AWS account id") @Nullable String awsAccountId,
            @RequestParam(required = false) @AwsRegions.Known @Nullable String region,
            @RequestParam(required = false) @Pattern(regexp = OU_ID, message = OU_ID_MESSAGE) @Nullable String ou,
            @RequestParam(required = false) @Nullable Boolean accountDeactivated,
            @RequestParam(required = false) @Nullable Boolean unverified,
            @RequestParam(defaultValue = "-severity") @Parameter(schema = @Schema(allowableValues = {"-severity",
                    "-firstSeenAt", "-monthlyCostUsd"})) String sort) {
        FindingQueries.Filter filter = filter(type, status, severity, accountId, awsAccountId, region, ou,
                accountDeactivated, unverified);
        FindingQueries.Sort order = FindingQueries.Sort.parse(sort);
        return download(export, filter, order);
    }

    /**
     * The CSV of the filter as a download, for the API and the dashboard. Its body is written on another thread after
     * the controller returns: the tenant in context is carried over explicitly.
     */
    static ResponseEntity<StreamingResponseBody> download(FindingExport export, FindingQueries.Filter filter,
            FindingQueries.Sort sort) {
        UUID tenant = TenantContext.require();
        StreamingResponseBody body = out -> {
            try (TenantContext.Scope scope = TenantContext.open(tenant)) {
                export.copy(filter, sort, out);
            }
        };
        return ResponseEntity.ok()
                .contentType(new MediaType(TEXT_CSV, StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"findings.csv\"")
                .body(body);
    }

    private static FindingQueries.Filter filter(@Nullable List<FindingType> types, List<FindingItem.Status> statuses,
            @Nullable List<Severity> severities, @Nullable UUID accountId, @Nullable String awsAccountId,
            @Nullable String region, @Nullable String ou, @Nullable Boolean accountDeactivated,
            @Nullable Boolean unverified) {
        Set<FindingItem.Status> status = RepeatedParameters.values(statuses);
        return new FindingQueries.Filter(status.isEmpty() ? Set.of(FindingItem.Status.OPEN) : status,
                RepeatedParameters.values(types), RepeatedParameters.values(severities), accountId, awsAccountId,
                region, ou, accountDeactivated, unverified);
    }

    /** The shape of {@link #list}'s page for the OpenAPI document: its items arrive as JSON rendered by Postgres. */
    @Schema(name = "FindingPage")
    record FindingPage(List<FindingItem> items, @Nullable String nextCursor) {
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One finding")
    FindingItem get(@PathVariable UUID id) {
        return findings.find(id).orElseThrow(() -> ApiException.notFound("Finding"));
    }
}
