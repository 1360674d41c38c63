package dev.unusd.hub.notify;

import java.net.URI;
import java.time.Instant;
import java.util.List;
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

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.unusd.hub.rule.Severity;
import dev.unusd.hub.web.NullOrNotBlank;
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
@RequestMapping("/api/v1/notification-channels")
@Tag(name = "Notifications", description = "Slack, Microsoft Teams, email and signed webhook channels, and their deliveries")
class ChannelController {

    private final ChannelService channels;

    ChannelController(ChannelService channels) {
        this.channels = channels;
    }

    record CreateChannel(
            @NotNull ChannelType type,
            @NotNull @NotBlank @Size(max = 200) String name,
            @NotNull @NotBlank @Size(max = ChannelService.MAX_URL) String target,
            @Nullable @Size(min = 1, max = 10) List<@NotNull String> events,
            @Nullable Severity minSeverity,
            @Nullable @Size(max = 500) List<@NotNull UUID> accounts,
            @Nullable Boolean enabled) {
    }

    record UpdateChannel(
            @Nullable @Size(max = 200) @NullOrNotBlank String name,
            @Nullable @Size(min = 1, max = ChannelService.MAX_URL) String target,
            @Nullable @Size(min = 1, max = 10) List<@NotNull String> events,
            @Nullable Severity minSeverity,
            @Nullable @Size(max = 500) List<@NotNull UUID> accounts,
            @Nullable Boolean enabled) {
    }

    /** {@code target} is masked; {@code secret} (webhooks) appears only in the answer that creates the channel. */
    record ChannelView(UUID id, ChannelType type, String name, String target, List<String> events,
            Severity minSeverity, @Nullable List<UUID> accounts, boolean enabled, @Nullable String disabledReason,
            @Nullable Instant disabledAt, Instant createdAt, Instant updatedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret) {
    }

    record DeliveryView(UUID id, UUID eventId, String eventType, Instant occurredAt, Delivery.Status status,
            int attempts, @Nullable Instant lastAttemptAt, @Nullable Instant nextAttemptAt,
            @Nullable Integer lastStatusCode, @Nullable String lastError, @Nullable Instant deliveredAt,
            Instant createdAt) {
    }

    @PostMapping
    @Operation(summary = "Create a channel; a webhook channel's signing secret is in this answer only")
    @ApiResponse(responseCode = "201", description = "The channel, its target masked",
            headers = @Header(name = "Location", description = "/api/v1/notification-channels/{id}"))
    @ApiResponse(responseCode = "400", description = "Invalid, or a target that is not https to a public address")
    @ApiResponse(responseCode = "503", description = "The hub has no HUB_SECRETS_KEY to encrypt the target with")
    ResponseEntity<ChannelView> create(@Valid @RequestBody CreateChannel request) {
        ChannelService.Created created = channels.create(request.type(), request.name().strip(), request.target(),
                request.events(), request.minSeverity(), request.accounts(), request.enabled());
        return ResponseEntity.created(URI.create("/api/v1/notification-channels/" + created.channel().id()))
                .body(view(created.channel(), created.secret()));
    }

    @GetMapping
    @Operation(summary = "List channels, oldest first")
    Page<ChannelView> list(@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        Page<Channel> page = channels.list(limit, cursor);
        return new Page<>(page.items().stream().map(c -> view(c, null)).toList(), page.nextCursor());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One channel, with the reason when the hub disabled it")
    ChannelView get(@PathVariable UUID id) {
        return view(channels.get(id), null);
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Rename, retarget, change events or filters, enable or disable a channel")
    ChannelView update(@PathVariable UUID id, @Valid @RequestBody UpdateChannel request) {
        return view(channels.update(id, request.name() == null ? null : request.name().strip(), request.target(),
                request.events(), request.minSeverity(), request.accounts(), request.enabled()), null);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove a channel and its delivery history")
    @ApiResponse(responseCode = "204", description = "Removed")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        channels.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/test")
    @Operation(summary = "Send a sample notification now and answer with the receiver's status")
    ChannelService.TestResult test(@PathVariable UUID id) {
        return channels.test(channels.get(id));
    }

    @GetMapping("/{id}/deliveries")
    @Operation(summary = "The channel's deliveries, newest first: status, attempts, last error")
    Page<DeliveryView> deliveries(@PathVariable UUID id, @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        Page<Delivery> page = channels.deliveries(id, limit, cursor);
        return new Page<>(page.items().stream().map(d -> new DeliveryView(d.id(), d.eventId(), d.eventType(),
                d.occurredAt(), d.status(), d.attempts(), d.lastAttemptAt(), d.nextAttemptAt(), d.lastStatusCode(),
                d.lastError(), d.deliveredAt(), d.createdAt())).toList(), page.nextCursor());
    }

    private static ChannelView view(Channel c, @Nullable String secret) {
        return new ChannelView(c.id(), c.type(), c.name(), c.targetHint(), c.events(), c.minSeverity(), c.accounts(),
                c.enabled(), c.disabledReason(), c.disabledAt(), c.createdAt(), c.updatedAt(), secret);
    }
}
