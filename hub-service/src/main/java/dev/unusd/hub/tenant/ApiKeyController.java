package dev.unusd.hub.tenant;

import dev.unusd.hub.db.DbTime;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

@RestController
@RequestMapping("/api/v1/api-keys")
@Tag(name = "API keys")
class ApiKeyController {

    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    record KeyCreated(UUID id, String apiKey) {
    }

    record KeyItem(UUID id, String prefix, Instant createdAt, @Nullable Instant lastUsedAt) {
    }

    @PostMapping
    @Operation(summary = "Create an API key; the key is in this answer only")
    @ApiResponse(responseCode = "201", description = "The new key",
            headers = @Header(name = "Location", description = "/api/v1/api-keys/{id}"))
    ResponseEntity<KeyCreated> create() {
        ApiKeyService.IssuedKey key = keys.issue(TenantContext.require(), DbTime.now());
        return ResponseEntity.created(URI.create("/api/v1/api-keys/" + key.id())).body(new KeyCreated(key.id(), key.apiKey()));
    }

    @GetMapping
    @Operation(summary = "List the tenant's active API keys (never the keys themselves)")
    Page<KeyItem> list(@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        Page<ApiKeyService.KeyView> page = keys.list(limit, cursor);
        return new Page<>(page.items().stream().map(ApiKeyController::item).toList(), page.nextCursor());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One of the tenant's active API keys (never the key itself); where a new key's Location points")
    @ApiResponse(responseCode = "200", description = "The key")
    KeyItem get(@PathVariable UUID id) {
        return item(keys.get(id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke an API key; it stops working at once")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "409", description = "The tenant's last active API key, which cannot be revoked")
    ResponseEntity<Void> revoke(@PathVariable UUID id) {
        keys.revoke(id);
        return ResponseEntity.noContent().build();
    }

    private static KeyItem item(ApiKeyService.KeyView key) {
        return new KeyItem(key.id(), key.prefix(), key.createdAt(), key.lastUsedAt());
    }
}
