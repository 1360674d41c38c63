package dev.unusd.hub.tenant;

import java.time.Clock;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.unusd.hub.db.DbTime;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.web.ApiException;

/**
 * The dashboard's settings: the schedule with its next run, thresholds and exemption tag (as GET /api/v1/settings),
 * and the tenant's API keys: a new key is shown once, a key can be revoked (never the last one).
 */
@Controller
class SettingsPage {

    private final SettingsService settings;
    private final ApiKeyService apiKeys;
    private final Clock clock;

    SettingsPage(SettingsService settings, ApiKeyService apiKeys, Clock clock) {
        this.settings = settings;
        this.apiKeys = apiKeys;
        this.clock = clock;
    }

    @GetMapping("/settings")
    String settings(@RequestParam(required = false) @Nullable String cursor, Model model) {
        TenantSettings current = settings.current();
        model.addAttribute("settings", current);
        model.addAttribute("nextRun", current.schedule().nextRunAfter(clock.instant()).orElse(null));
        model.addAttribute("keys", apiKeys.list(100, cursor));
        return "dashboard/settings";
    }

    @PostMapping("/settings/api-keys")
    String createKey(RedirectAttributes redirect) {
        ApiKeyService.IssuedKey key = apiKeys.issue(TenantContext.require(), DbTime.now());
        // Shown once, on the next page only (a flash attribute lives in the session until then).
        redirect.addFlashAttribute("issuedKey", key.apiKey());
        return "redirect:/settings";
    }

    @PostMapping("/settings/api-keys/{id}/revoke")
    String revokeKey(@PathVariable UUID id, RedirectAttributes redirect) {
        try {
            apiKeys.revoke(id);
            redirect.addFlashAttribute("message", "The key was revoked.");
        } catch (ApiException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/settings";
    }
}
