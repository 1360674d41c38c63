package dev.unusd.hub.organization;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.unusd.hub.aws.AwsRegions;
import dev.unusd.hub.aws.HubPrincipal;
import dev.unusd.hub.web.NullOrNotBlank;
import dev.unusd.hub.web.Page;
import dev.unusd.spokerole.SpokeRoleTemplate;
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
@Tag(name = "Organizations", description = "AWS organisations onboarded as a whole and kept in sync")
class OrganizationController {

    private static final String BASE = "/api/v1/organizations";
    private static final String IAM_ROLE_NAME = "[\\w+=,.@-]{1,64}";
    private static final String IAM_ROLE_NAME_MESSAGE = "must be an IAM role name: 1-64 of letters, digits and +=,.@_-";
    private static final MediaType TEXT_YAML = MediaType.parseMediaType("text/yaml;charset=UTF-8");
    private static final String PRINCIPAL_PARAMETER = "  HubPrincipal:\n    Type: String\n";

    private final OrganizationService organizations;
    private final OrganizationOnboarding onboarding;
    private final HubPrincipal hubPrincipal;

    OrganizationController(OrganizationService organizations, OrganizationOnboarding onboarding,
            HubPrincipal hubPrincipal) {
        this.organizations = organizations;
        this.onboarding = onboarding;
        this.hubPrincipal = hubPrincipal;
    }

    record RegisterOrganization(
            @Schema(description = "The account the reader role goes in: the management account or a delegated"
                    + " administrator")
            @NotNull @Pattern(regexp = "\\d{12}", message = "must be a 12-digit AWS account id") String managementAccountId,
            @NotNull @NotBlank @Size(max = 200) String name,
            @Schema(description = "OU ids (ou-...) or the root id (r-...) whose accounts, children's included, are"
                    + " registered; none: the whole organisation")
            @Nullable @Size(max = 100) List<@NotNull @Pattern(regexp = "ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32}",
                    message = "must be an OU id (ou-xxxx-xxxxxxxx) or the root id (r-xxxx)") String> organizationalUnits,
            @Nullable @Size(max = 1000) List<@NotNull @Pattern(regexp = "\\d{12}",
                    message = "must be a 12-digit AWS account id") String> excludeAccounts,
            @Schema(description = "Regions every member account is scanned in; none: the tenant's default regions")
            @Nullable @Size(min = 1, max = 40) List<@NotNull @AwsRegions.Scannable String> regions,
            @Nullable @Pattern(regexp = IAM_ROLE_NAME, message = IAM_ROLE_NAME_MESSAGE) String readerRoleName,
            @Nullable @Pattern(regexp = IAM_ROLE_NAME, message = IAM_ROLE_NAME_MESSAGE) String spokeRoleName) {
    }

    record UpdateOrganization(
            @Nullable @Size(max = 200) @NullOrNotBlank String name,
            @Schema(description = "The new scope; an empty list: the whole organisation")
            @Nullable @Size(max = 100) List<@NotNull @Pattern(regexp = "ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32}",
                    message = "must be an OU id (ou-xxxx-xxxxxxxx) or the root id (r-xxxx)") String> organizationalUnits,
            @Nullable @Size(max = 1000) List<@NotNull @Pattern(regexp = "\\d{12}",
                    message = "must be a 12-digit AWS account id") String> excludeAccounts) {
    }

    record OrganizationView(UUID id, String managementAccountId, String name,
            @Schema(description = "o-...; known after the first successful sync") @Nullable String awsOrganizationId,
            List<String> organizationalUnits, List<String> excludeAccounts, @Nullable List<String> regions,
            @Schema(description = "The one ExternalId of the reader role and of every member's spoke role")
            String externalId, String readerRoleName, String readerRoleArn, String spokeRoleName, Instant createdAt,
            @Nullable Instant lastSyncedAt, OrganizationOnboarding.Onboarding onboarding) {
    }

    @PostMapping(BASE)
    @Operation(summary = "Register an AWS organisation; the answer has its ExternalId and how to deploy its two stacks")
    @ApiResponse(responseCode = "201", description = "The registered organisation",
            headers = @Header(name = "Location", description = "/api/v1/organizations/{id}"))
    @ApiResponse(responseCode = "409", description = "An organisation read through that account is already registered")
    ResponseEntity<OrganizationView> register(@Valid @RequestBody RegisterOrganization request) {
        String principal = hubPrincipal.value(); // 503 before anything is registered when it cannot be known
        OrganizationRecord organization = organizations.register(request.managementAccountId(),
                request.name().strip(), request.organizationalUnits(), request.excludeAccounts(), request.regions(),
                request.readerRoleName(), request.spokeRoleName());
        return ResponseEntity.created(URI.create(BASE + "/" + organization.id())).body(view(organization, principal));
    }

    @GetMapping(BASE)
    @Operation(summary = "List registered organisations")
    Page<OrganizationView> list(@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        Page<OrganizationRecord> page = organizations.list(limit, cursor);
        if (page.items().isEmpty()) {
            return new Page<>(List.of(), page.nextCursor());
        }
        String principal = hubPrincipal.value();
        return new Page<>(page.items().stream().map(o -> view(o, principal)).toList(), page.nextCursor());
    }

    @GetMapping(BASE + "/{id}")
    @Operation(summary = "One registered organisation")
    OrganizationView get(@PathVariable UUID id) {
        return view(organizations.get(id), hubPrincipal.value());
    }

    @PatchMapping(BASE + "/{id}")
    @Operation(summary = "Rename the organisation or change its OUs or excluded accounts; accounts follow at the next sync")
    OrganizationView update(@PathVariable UUID id, @Valid @RequestBody UpdateOrganization request) {
        String principal = hubPrincipal.value();
        return view(organizations.update(id, request.name() == null ? null : request.name().strip(),
                request.organizationalUnits(), request.excludeAccounts()), principal);
    }

    @DeleteMapping(BASE + "/{id}")
    @Operation(summary = "Remove the organisation: no more syncs; its accounts are deactivated (ORGANIZATION_REMOVED),"
            + " not deleted, so their keys and findings stay")
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiResponse(responseCode = "409", description = "A sync of the organisation is queued or running")
    ResponseEntity<Void> remove(@PathVariable UUID id) {
        organizations.remove(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping(BASE + "/{id}/sync")
    @Operation(summary = "Sync the organisation now: the answer is the queued sync (or the one already under way)")
    @ApiResponse(responseCode = "202", description = "The sync",
            headers = @Header(name = "Location", description = "/api/v1/organizations/{id}/syncs/{syncId}"))
    ResponseEntity<SyncRecord> sync(@PathVariable UUID id) {
        SyncRecord sync = organizations.requestSync(id);
        return ResponseEntity.accepted().location(URI.create(BASE + "/" + id + "/syncs/" + sync.id())).body(sync);
    }

    @GetMapping(BASE + "/{id}/syncs")
    @Operation(summary = "The organisation's syncs, newest first: what each found, added, removed and could not do")
    Page<SyncRecord> syncs(@PathVariable UUID id, @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return organizations.syncs(id, limit, cursor);
    }

    @GetMapping(BASE + "/{id}/syncs/{syncId}")
    @Operation(summary = "One sync of the organisation")
    SyncRecord sync(@PathVariable UUID id, @PathVariable UUID syncId) {
        return organizations.sync(id, syncId);
    }

    @GetMapping(value = OrganizationOnboarding.READER_TEMPLATE_PATH, produces = "text/yaml")
    @Operation(summary = "The organisation reader role template, with this hub's principal as the default")
    @Tag(name = "Onboarding")
    ResponseEntity<String> readerTemplate() {
        return yaml(SpokeRoleTemplate.orgReaderRole().text());
    }

    @GetMapping(value = OrganizationOnboarding.STACKSET_TEMPLATE_PATH, produces = "text/yaml")
    @Operation(summary = "The spoke-role StackSet template for an organisation, with this hub's principal as the default")
    @Tag(name = "Onboarding")
    ResponseEntity<String> stackSetTemplate() {
        return yaml(SpokeRoleTemplate.stackSet().text());
    }

    private ResponseEntity<String> yaml(String template) {
        if (!template.contains(PRINCIPAL_PARAMETER)) {
            throw new IllegalStateException("template has no top-level HubPrincipal parameter where expected");
        }
        return ResponseEntity.ok().contentType(TEXT_YAML).body(template.replace(PRINCIPAL_PARAMETER,
                PRINCIPAL_PARAMETER + "    Default: \"" + hubPrincipal.value() + "\"\n"));
    }

    private OrganizationView view(OrganizationRecord o, String principal) {
        return new OrganizationView(o.id(), o.managementAccountId(), o.name(), o.awsOrganizationId(),
                o.organizationalUnits(), o.excludeAccounts(), o.regions(), o.externalId(), o.readerRoleName(),
                o.readerRoleArn(), o.spokeRoleName(), o.createdAt(), o.lastSyncedAt(),
                onboarding.forOrganization(o, principal));
    }
}
