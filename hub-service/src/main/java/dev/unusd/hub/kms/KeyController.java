package dev.unusd.hub.kms;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
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
import dev.unusd.hub.web.RepeatedParameters;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

@RestController
@RequestMapping("/api/v1/keys")
@Tag(name = "Keys", description = "The KMS key inventory of the tenant's accounts")
class KeyController {

    /** A KMS key ARN in any partition; group 1 is the key id. */
    private static final java.util.regex.Pattern KEY_ARN =
            java.util.regex.Pattern.compile("arn:aws[\\w-]*:kms:[a-z0-9-]+:\\d{12}:key/([\\w-]{1,128})");
    /** AWS key ids: a UUID, or mrk- and 32 hex digits for multi-Region keys; no path or alias characters. */
    private static final java.util.regex.Pattern AWS_KEY_ID = java.util.regex.Pattern.compile("[\\w-]{1,128}");

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
    @Operation(summary = "List the keys still present in AWS, by id",
            description = "state and usageStatus may be repeated (state=Enabled&state=Disabled): any of the values;"
                    + " every other parameter is given at most once")
    Page<KeyItem> list(
            @RequestParam(required = false) @Parameter(description = "The hub's id of the account")
            @Nullable UUID accountId,
            @RequestParam(required = false) @Parameter(description = "The 12-digit AWS account id")
            @Pattern(regexp = "\\d{12}", message = "must be a 12-digit AWS account id") @Nullable String awsAccountId,
            @RequestParam(required = false) @AwsRegions.Known @Nullable String region,
            @RequestParam(required = false) @Parameter(description = "Any of these states", array = @ArraySchema(
                    schema = @Schema(allowableValues = {"Creating", "Enabled", "Disabled", "PendingDeletion",
                            "PendingImport", "PendingReplicaDeletion", "Unavailable", "Updating"})))
            @Nullable List<String> state,
            @RequestParam(required = false) @Parameter(description = "Any of these usage statuses")
            @Nullable List<KeyItem.UsageStatus> usageStatus,
            @RequestParam(required = false) @Nullable Boolean hasOpenFindings,
            @RequestParam(required = false) @Parameter(description = "Exact key ARN") @Size(min = 1, max = 2048) @Nullable String arn,
            @RequestParam(required = false) @Parameter(description = "Case-insensitive substring of the ARN or an alias")
            @Size(min = 1, max = 256) @Nullable String q,
            @RequestParam(required = false) @Parameter(description = "An OU (ou-...) or root (r-...) id: keys of the"
                    + " accounts an organisation registered under it, its child OUs included")
            @Pattern(regexp = "ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32}",
                    message = "must be an OU id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)") @Nullable String ou,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        Set<String> states = RepeatedParameters.values(state);
        if (!KeyItem.STATES.containsAll(states)) {
            throw ApiException.badRequest("state", "must be one of " + KeyItem.STATES);
        }
        return keys.page(new KeyQueries.Filter(accountId, awsAccountId, region, states,
                RepeatedParameters.values(usageStatus), hasOpenFindings, arn, q, ou), limit, cursor);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One key with its findings, by the hub's id of the key, its AWS key id or its key ARN",
            description = "An AWS key id or ARN answers the key when exactly one of the tenant's keys has it; a"
                    + " multi-Region key's id names one key per region and is answered 404 with the way to list them")
    KeyDetail get(@PathVariable @Parameter(description = "The hub's id of the key (keyRef in findings), its AWS key id,"
            + " or its key ARN") String id) {
        KeyItem key = resolve(id);
        return new KeyDetail(key, findings.forKey(key.id()));
    }

    /** A key ARN holds a slash ({@code arn:aws:kms:<region>:<account>:key/<key id>}), so it spans two path segments. */
    @Hidden
    @GetMapping("/{*arn}")
    KeyDetail getByArn(@PathVariable String arn) {
        return get(arn.substring(1));
    }

    private KeyItem resolve(String reference) {
        Optional<UUID> hubId = uuid(reference);
        if (hubId.isPresent()) {
            Optional<KeyItem> key = keys.find(hubId.get());
            if (key.isPresent()) {
                return key.get();
            }
        }
        Matcher arn = KEY_ARN.matcher(reference);
        List<KeyItem> matches = arn.matches() ? keys.findByAwsKeyId(arn.group(1), reference)
                : AWS_KEY_ID.matcher(reference).matches() ? keys.findByAwsKeyId(reference, null) : List.of();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new ApiException(HttpStatus.NOT_FOUND, "Key not found: no key of this tenant has the id, AWS key id"
                    + " or key ARN " + reference + ". Search by part of its ARN or an alias: GET /api/v1/keys?q=...;"
                    + " by exact ARN: GET /api/v1/keys?arn=...");
        }
        throw new ApiException(HttpStatus.NOT_FOUND, "Key not found: AWS key id " + reference + " names "
                + matches.size() + " keys of this tenant, a multi-Region key's copies in "
                + matches.stream().map(KeyItem::region).distinct().collect(Collectors.joining(", "))
                + ". Ask for one by its key ARN or its id in GET /api/v1/keys?q=" + reference);
    }

    private static Optional<UUID> uuid(String value) {
        try {
            return value.length() == 36 ? Optional.of(UUID.fromString(value)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
