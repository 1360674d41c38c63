package dev.unusd.hub.tenant;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

@RestController
@RequestMapping("/api/v1/settings")
@Tag(name = "Settings")
class SettingsController {

    private final SettingsService settings;

    SettingsController(SettingsService settings) {
        this.settings = settings;
    }

    @GetMapping
    @Operation(summary = "The tenant's rule thresholds, exception tag, default regions and scan schedule")
    TenantSettings get() {
        return settings.current();
    }

    @PutMapping
    @Operation(summary = "Replace the settings; a schedule change takes effect at once")
    TenantSettings put(@Valid @RequestBody TenantSettings request) {
        return settings.replace(request);
    }
}
