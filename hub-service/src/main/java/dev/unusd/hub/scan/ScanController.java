package dev.unusd.hub.scan;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.unusd.hub.scan.ScanHistory.ScanView;
import dev.unusd.hub.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@RestController
@RequestMapping("/api/v1/scans")
@Tag(name = "Scans", description = "On-demand and scheduled scans of the tenant's accounts, one target per account region")
class ScanController {

    private final ScanLauncher launcher;
    private final ScanHistory history;

    ScanController(ScanLauncher launcher, ScanHistory history) {
        this.launcher = launcher;
        this.history = history;
    }

    record LaunchScan(@Nullable @Size(min = 1, max = 1000) List<@NotNull UUID> accountIds) {
    }

    @PostMapping
    @Operation(summary = "Scan the given accounts now, or every enabled account",
            description = """
                    Answers 202 Accepted with the scan and its Location. At most one scan per account is QUEUED or \
                    RUNNING: when one already covers any of the requested accounts, nothing new is created and the \
                    answer is that running scan (also 202, its own id and Location). An unknown account id, or another \
                    tenant's, is 404; a disabled or repeated one is 400; no enabled account at all is 409.""")
    @ApiResponse(responseCode = "202", description = "The new scan, or the one already covering a requested account",
            headers = @Header(name = "Location", description = "/api/v1/scans/{id}"))
    @ApiResponse(responseCode = "404", description = "An account id that is not one of the tenant's")
    @ApiResponse(responseCode = "409", description = "No enabled account to scan")
    ResponseEntity<ScanView> launch(@Valid @RequestBody(required = false) @Nullable LaunchScan request) {
        ScanLauncher.Launch launch = launcher.launchManual(request == null ? null : request.accountIds());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/scans/" + launch.scanId()))
                .body(history.get(launch.scanId()));
    }

    @GetMapping
    @Operation(summary = "The tenant's scans, newest first",
            description = "Each with at most " + ScanHistory.LISTED_PER_SCAN + " of its targets (the FAILED ones first)"
                    + " and of its warnings; targetsOmitted and warningsOmitted count the rest, which"
                    + " GET /api/v1/scans/{id} answers. Counts, progress and undecidedKeys cover every target.")
    Page<ScanView> list(@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return history.list(limit, cursor);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One scan with each target's status and error, its counts and progress")
    ScanView get(@PathVariable UUID id) {
        return history.get(id);
    }
}
