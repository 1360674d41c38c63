package dev.unusd.hub.summary;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.unusd.hub.tenant.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

@RestController
@RequestMapping("/api/v1/summary")
@Tag(name = "Summary", description = "The tenant at a glance")
class SummaryController {

    private final SummaryCache summaries;

    SummaryController(SummaryCache summaries) {
        this.summaries = summaries;
    }

    @GetMapping
    @Operation(summary = "Key totals, open findings, monthly cost and potential savings, per account too",
            description = "Totals are recomputed when the tenant's findings change, account rows at most every "
                    + "HUB_SUMMARY_MAX_AGE (2 s) per hub instance; answers carry an ETag.")
    Summary summary(HttpServletRequest request) {
        return summaries.current(Authentication.findingsVersion(request));
    }
}
