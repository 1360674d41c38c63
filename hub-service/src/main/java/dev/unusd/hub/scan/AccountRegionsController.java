package dev.unusd.hub.scan;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;

import dev.unusd.hub.scan.AccountRegions.AccountRegionsView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** An account's regions as the hub sees them: in the API, and as a dashboard page linked from the account's. */
@Controller
@Tag(name = "Accounts")
class AccountRegionsController {

    private final AccountRegions regions;

    AccountRegionsController(AccountRegions regions) {
        this.regions = regions;
    }

    @GetMapping("/api/v1/accounts/{id}/regions")
    @ResponseBody
    @Operation(summary = "Each region of the account: whether its scans cover it, how its latest scan ended, and"
            + " whether a recent scan vouches for its keys and findings",
            description = """
                    The regions the account's scans cover (every commercial region when it lists none), any region a \
                    scan target ever ended in, and any region holding keys, in name order. coverage: VERIFIED (the \
                    latest target succeeded), UNVERIFIED (its keys and findings are as the last successful scan left \
                    them; unverified says why, as on those keys and findings), NOT_ENABLED (the latest target found \
                    the region not enabled and no key of it is stored), NOT_SCANNED_YET.""")
    @ApiResponse(responseCode = "200", description = "The account's regions")
    @ApiResponse(responseCode = "404", description = "An account id that is not one of the tenant's")
    AccountRegionsView regions(@PathVariable UUID id) {
        return regions.of(id);
    }

    @GetMapping("/accounts/{id}/regions")
    String page(@PathVariable UUID id, Model model) {
        model.addAttribute("regions", regions.of(id));
        return "dashboard/account-regions";
    }
}
