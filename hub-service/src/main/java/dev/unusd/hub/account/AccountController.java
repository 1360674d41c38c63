package dev.unusd.hub.account;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.unusd.hub.aws.AwsRegions;
import dev.unusd.hub.web.NullOrNotBlank;
import dev.unusd.hub.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

@RestController
@RequestMapping("/api/v1/accounts")
@Tag(name = "Accounts", description = "Registered AWS accounts and their spoke-role onboarding")
class AccountController {

    private static final String PRINCIPAL_UNKNOWN = "The hub's AWS principal is unknown (HUB_PRINCIPAL unset and STS"
            + " unreachable): nothing was changed";

    private final AccountService accounts;
    private final OnboardingLinks onboarding;

    AccountController(AccountService accounts, OnboardingLinks onboarding) {
        this.accounts = accounts;
        this.onboarding = onboarding;
    }

    record RegisterAccount(
            @NotNull @Pattern(regexp = "\\d{12}", message = "must be a 12-digit AWS account id") String awsAccountId,
            @NotNull @NotBlank @Size(max = 200) String name,
            @Nullable @Size(max = 40) List<@NotNull @AwsRegions.Scannable String> regions,
            @Nullable @Pattern(regexp = "[\\w+=,.@-]{1,64}", message = "must be an IAM role name: 1-64 of letters, digits and +=,.@_-") String roleName) {
    }

    record UpdateAccount(
            @Nullable @Size(max = 200) @NullOrNotBlank String name,
            @Nullable @Size(max = 40) List<@NotNull @AwsRegions.Scannable String> regions,
            @Nullable Boolean enabled) {
    }

    /** {@code everyRegion}: no regions listed, so scans cover every region the spoke role can reach. */
    record AccountView(UUID id, String awsAccountId, String name, List<String> regions, boolean regionsFromDefaults,
            boolean everyRegion, String roleName, String roleArn, String externalId, boolean enabled, AccountStatus status, Instant createdAt,
            @Nullable Instant lastVerifiedAt, OnboardingLinks.Onboarding onboarding,
            @Schema(description = "The organisation that registered the account; null when registered by hand")
            @Nullable UUID organizationId,
            @Schema(description = "Where the account sits in its organisation, as AWS entity path o-.../r-.../ou-.../")
            @Nullable String ouPath,
            @Schema(description = "The account's tags in AWS Organizations (empty for accounts registered by hand)")
            Map<String, String> tags,
            @Schema(description = "Why the organisation's sync (or removing the organisation) disabled the account;"
                    + " null unless it did")
            @Nullable Deactivation deactivatedReason,
            @Schema(description = "When it was deactivated; null unless deactivatedReason is set")
            @Nullable Instant deactivatedAt) {
    }

    @PostMapping
    @Operation(summary = "Register an AWS account; the answer has the ExternalId and the links to deploy the spoke role")
    @ApiResponse(responseCode = "201", description = "The registered account with its onboarding links",
            headers = @Header(name = "Location", description = "/api/v1/accounts/{id}"))
    @ApiResponse(responseCode = "409", description = "The AWS account is already registered for this tenant")
    @ApiResponse(responseCode = "503", description = PRINCIPAL_UNKNOWN)
    ResponseEntity<AccountView> register(@Valid @RequestBody RegisterAccount request) {
        // The answer's links need the hub's principal: a hub that cannot name it (503) registers nothing.
        String principal = onboarding.principal();
        AccountRef account = accounts.register(request.awsAccountId(), request.name().strip(), request.regions(),
                request.roleName());
        return ResponseEntity.created(URI.create("/api/v1/accounts/" + account.id())).body(view(account, principal));
    }

    @GetMapping
    @Operation(summary = "List registered accounts")
    @ApiResponse(responseCode = "200", description = "A page of accounts")
    @ApiResponse(responseCode = "503", description = PRINCIPAL_UNKNOWN)
    Page<AccountView> list(@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        Page<AccountRef> page = accounts.list(limit, cursor);
        if (page.items().isEmpty()) {
            return new Page<>(List.of(), page.nextCursor()); // no links to fill in: no principal needed
        }
        String principal = onboarding.principal();
        return new Page<>(page.items().stream().map(a -> view(a, principal)).toList(), page.nextCursor());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One registered account")
    @ApiResponse(responseCode = "200", description = "The account")
    @ApiResponse(responseCode = "503", description = PRINCIPAL_UNKNOWN)
    AccountView get(@PathVariable UUID id) {
        return view(accounts.get(id), onboarding.principal());
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Rename, change regions, enable or disable an account")
    @ApiResponse(responseCode = "200", description = "The changed account")
    @ApiResponse(responseCode = "503", description = PRINCIPAL_UNKNOWN)
    AccountView update(@PathVariable UUID id, @Valid @RequestBody UpdateAccount request) {
        String principal = onboarding.principal(); // before the change, as for a registration
        return view(accounts.update(id, request.name() == null ? null : request.name().strip(), request.regions(),
                request.enabled()), principal);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove an account with its keys, findings and scan history")
    @ApiResponse(responseCode = "204", description = "Removed")
    ResponseEntity<Void> remove(@PathVariable UUID id) {
        accounts.remove(id);
        return ResponseEntity.noContent().build();
    }

    private AccountView view(AccountRef a, String principal) {
        return new AccountView(a.id(), a.awsAccountId(), a.name(), a.regions(), a.regionsFromDefaults(), a.everyRegion(),
                a.roleName(),
                a.roleArn(), a.externalId(), a.enabled(), a.status(), a.createdAt(), a.lastVerifiedAt(),
                onboarding.forAccount(a, principal), a.organizationId(), a.ouPath(), a.tags(), a.deactivatedReason(),
                a.deactivatedAt());
    }
}
