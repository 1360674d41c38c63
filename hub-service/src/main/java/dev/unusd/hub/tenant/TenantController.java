package dev.unusd.hub.tenant;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@RestController
@RequestMapping("/api/v1/tenants")
@Tag(name = "Admin", description = "Tenant administration; needs the admin token (HUB_ADMIN_TOKEN)")
class TenantController {

    private final TenantService tenants;

    TenantController(TenantService tenants) {
        this.tenants = tenants;
    }

    record CreateTenant(@NotNull @NotBlank @Size(max = 200) String name) {
    }

    record TenantCreated(UUID id, String name, String apiKey) {
    }

    record TenantItem(UUID id, String name, Instant createdAt, long accounts) {
    }

    @PostMapping
    @Operation(summary = "Create a tenant; its first API key is in the answer and is never shown again")
    @ApiResponse(responseCode = "201", description = "The tenant and its first API key",
            headers = @Header(name = "Location", description = "/api/v1/tenants/{id}"))
    ResponseEntity<TenantCreated> create(@Valid @RequestBody CreateTenant request) {
        TenantService.CreatedTenant created = tenants.create(request.name().strip());
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + created.id()))
                .body(new TenantCreated(created.id(), created.name(), created.apiKey()));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One tenant with its number of registered accounts; where a new tenant's Location points")
    @ApiResponse(responseCode = "200", description = "The tenant")
    TenantItem get(@PathVariable UUID id) {
        return tenants.find(id).map(TenantController::item).orElseThrow(() -> ApiException.notFound("Tenant"));
    }

    @GetMapping
    @Operation(summary = "List tenants with their number of registered accounts")
    Page<TenantItem> list(@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        Page<TenantService.TenantOverview> page = tenants.list(limit, cursor);
        return new Page<>(page.items().stream().map(TenantController::item).toList(), page.nextCursor());
    }

    private static TenantItem item(TenantService.TenantOverview t) {
        return new TenantItem(t.id(), t.name(), t.createdAt(), t.accounts());
    }
}
