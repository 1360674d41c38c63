package dev.unusd.hub.kms;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.unusd.hub.aws.AwsRegions;
import dev.unusd.hub.finding.FindingItem;
import dev.unusd.hub.finding.FindingQueries;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

@RestController
@RequestMapping("/api/v1/keys")
@Tag(name = "Keys", description = "The KMS key inventory of the tenant's accounts")
class KeyController {

    private final KeyQueries keys;
    private final FindingQueries findings;

    KeyController(KeyQueries keys, FindingQueries findings) {
        this.keys = keys;
        this.findings = findings;
    }

    /** A key with all its findings, open or not. */
    @Schema(name = "KeyWithFindings")
    record KeyDetail(@JsonUnwrapped KeyItem key, List<FindingItem> findings) {
    }

    @GetMapping
    @Operation(summary = "List the keys still present in AWS, by id")
    Page<KeyItem> list(
            @RequestParam(required = false) @Nullable UUID accountId,
            @RequestParam(required = false) @AwsRegions.Known @Nullable String region,
            @RequestParam(required = false) @Parameter(schema = @Schema(allowableValues = {"Creating", "Enabled",
                    "Disabled", "PendingDeletion", "PendingImport", "PendingReplicaDeletion", "Unavailable",
                    "Updating"})) @Nullable String state,
            @RequestParam(required = false) KeyItem.@Nullable UsageStatus usageStatus,
            @RequestParam(required = false) @Nullable Boolean hasOpenFindings,
            @RequestParam(required = false) @Parameter(description = "Exact key ARN") @Size(min = 1, max = 2048) @Nullable String arn,
            @RequestParam(required = false) @Parameter(description = "Case-insensitive substring of the ARN or an alias")
            @Size(min = 1, max = 256) @Nullable String q,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        if (state != null && !KeyItem.STATES.contains(state)) {
            throw ApiException.badRequest("state", "must be one of " + KeyItem.STATES);
        }
        return keys.page(new KeyQueries.Filter(accountId, region, state, usageStatus, hasOpenFindings, arn, q), limit,
                cursor);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One key with its findings; id is the hub's id of the key")
    KeyDetail get(@PathVariable UUID id) {
        KeyItem key = keys.find(id).orElseThrow(() -> ApiException.notFound("Key"));
        return new KeyDetail(key, findings.forKey(id));
    }
}
