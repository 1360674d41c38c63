package dev.unusd.hub.finding;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.unusd.hub.db.DbTime;
import dev.unusd.hub.rule.FindingType;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@RestController
@RequestMapping("/api/v1/suppressions")
@Tag(name = "Suppressions", description = "Mute findings in the hub, with a reason, an author and an optional expiry")
class SuppressionController {

    private final Suppressions suppressions;

    SuppressionController(Suppressions suppressions) {
        this.suppressions = suppressions;
    }

    record CreateSuppression(
            @NotNull @Schema(description = "FINDING (findingId), KEY (keyRef) or ACCOUNT_TYPE (accountId and type)")
            Suppressions.Scope scope,
            @Nullable UUID findingId,
            @Nullable UUID keyRef,
            @Nullable UUID accountId,
            @Nullable FindingType type,
            @NotBlank @Size(max = 1000) String reason,
            @NotBlank @Size(max = 200) String author,
            @Nullable @Schema(description = "After this instant the suppression no longer applies: the next scan"
                    + " opens its findings again; null: until deleted") Instant expiresAt) {
    }

    @PostMapping
    @Operation(summary = "Mute one finding, every finding of one key, or a finding type across an account",
            description = "Matching OPEN findings are SUPPRESSED at once, and at every scan while the suppression is"
                    + " active")
    @ApiResponse(responseCode = "201", description = "The suppression")
    @ApiResponse(responseCode = "404", description = "The finding, key or account is not the tenant's")
    ResponseEntity<Suppressions.Suppression> create(@Valid @RequestBody CreateSuppression request) {
        Suppressions.Suppression created = suppressions.create(
                new Suppressions.Target(request.scope(), request.findingId(), request.keyRef(), request.accountId(),
                        request.type()),
                request.reason().strip(), request.author().strip(), request.expiresAt(), DbTime.now());
        return ResponseEntity.created(URI.create("/api/v1/suppressions/" + created.id())).body(created);
    }

    @GetMapping
    @Operation(summary = "List suppressions, active and expired, oldest first")
    Page<Suppressions.Suppression> list(@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return suppressions.list(limit, cursor);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One suppression")
    Suppressions.Suppression get(@PathVariable UUID id) {
        return suppressions.find(id).orElseThrow(() -> ApiException.notFound("Suppression"));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a suppression; the next scan opens its findings again")
    @ApiResponse(responseCode = "204", description = "Deleted")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        suppressions.delete(id);
        return ResponseEntity.noContent().build();
    }
}
