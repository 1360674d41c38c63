package dev.unusd.hub.summary;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.unusd.hub.tenant.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Pattern;

@RestController
@RequestMapping("/api/v1/summary")
@Tag(name = "Summary", description = "The tenant at a glance")
class SummaryController {

    private final SummaryCache summaries;

    SummaryController(SummaryCache summaries) {
        this.summaries = summaries;
    }

    @GetMapping
    @Operation(summary = "Key totals, open findings, monthly cost and potential savings, per account and per OU too",
            description = "Totals are recomputed when the tenant's findings change, account rows at most every "
                    + "HUB_SUMMARY_MAX_AGE (2 s) per hub instance; answers carry an ETag.")
    Summary summary(
            @RequestParam(required = false) @Parameter(description = "An OU (ou-...) or root (r-...) id: the summary of"
                    + " the accounts an organisation registered under it, its child OUs included")
            @Pattern(regexp = "ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32}",
                    message = "must be an OU id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)") @Nullable String ou,
            HttpServletRequest request) {
        return summaries.current(Authentication.findingsVersion(request), ou);
    }
}
