package dev.unusd.hub.tenant;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
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
import dev.unusd.hub.web.FieldError;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * The dashboard's settings: the schedule with its next run, thresholds and exemption tag, changed under the same
 * rules as PUT /api/v1/settings (a refused form changes nothing and says why beside each field), and the tenant's API
 * keys: a new key is shown once, in the answer to the form that created it; a key can be revoked (never the last one).
 */
@Controller
class SettingsPage {

    private final SettingsService settings;
    private final ApiKeyService apiKeys;
    private final Clock clock;
    private final Validator validator;

    SettingsPage(SettingsService settings, ApiKeyService apiKeys, Clock clock, Validator validator) {
        this.settings = settings;
        this.apiKeys = apiKeys;
        this.clock = clock;
        this.validator = validator;
    }

    /**
     * The form's fields as typed; their names are the API's field paths, so a message of the API's validation lands
     * beside its field.
     */
    record SettingsForm(String cron, String timezone, boolean enabled, String unusedDays, String maxRotationPeriodDays,
            String tagKey, String tagValue) {

        static SettingsForm of(TenantSettings s) {
            return new SettingsForm(s.schedule().cron(), s.schedule().timezone(), s.schedule().enabled(),
                    String.valueOf(s.unusedDays()), String.valueOf(s.maxRotationPeriodDays()), s.exceptionTag().key(),
                    s.exceptionTag().value());
        }
    }

    @GetMapping("/settings")
    String settings(@RequestParam(required = false) @Nullable String cursor, Model model) {
        TenantSettings current = settings.current();
        return page(model, current, SettingsForm.of(current), Map.of(), cursor);
    }

    @PostMapping("/settings")
    String change(@RequestParam(name = "schedule.cron", defaultValue = "") String cron,
            @RequestParam(name = "schedule.timezone", defaultValue = "") String timezone,
            @RequestParam(name = "schedule.enabled", required = false) @Nullable String enabled,
            @RequestParam(defaultValue = "") String unusedDays,
            @RequestParam(defaultValue = "") String maxRotationPeriodDays,
            @RequestParam(name = "exceptionTag.key", defaultValue = "") String tagKey,
            @RequestParam(name = "exceptionTag.value", defaultValue = "") String tagValue,
            Model model, HttpServletResponse response, RedirectAttributes redirect) {
        SettingsForm form = new SettingsForm(cron.strip(), timezone.strip(), enabled != null, unusedDays.strip(),
                maxRotationPeriodDays.strip(), tagKey, tagValue);
        TenantSettings current = settings.current();
        Map<String, String> errors = new LinkedHashMap<>();
        Integer unused = integer(form.unusedDays(), "unusedDays", errors);
        Integer maxRotation = integer(form.maxRotationPeriodDays(), "maxRotationPeriodDays", errors);
        // Regions, trusted accounts and the weekly report's time are not on this form: they keep their values.
        TenantSettings requested = new TenantSettings(new TenantSettings.ExceptionTag(tagKey, tagValue), unused,
                maxRotation, current.defaultRegions(),
                new TenantSettings.Schedule(form.cron(), form.timezone(), form.enabled()), current.trusted(),
                current.weeklyReport());
        for (ConstraintViolation<TenantSettings> violation : validator.validate(requested)) {
            errors.putIfAbsent(violation.getPropertyPath().toString(), violation.getMessage());
        }
        if (errors.isEmpty()) {
            try {
                settings.replace(requested);
                redirect.addFlashAttribute("settingsMessage", "The settings were saved.");
                return "redirect:/settings";
            } catch (ApiException e) {
                for (FieldError error : e.errors()) {
                    errors.putIfAbsent(error.field(), error.message());
                }
                if (e.errors().isEmpty()) {
                    throw e;
                }
            }
        }
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        return page(model, current, form, errors, null);
    }

    private String page(Model model, TenantSettings current, SettingsForm form, Map<String, String> errors,
            @Nullable String cursor) {
        model.addAttribute("settings", current);
        model.addAttribute("nextRun", current.schedule().nextRunAfter(clock.instant()).orElse(null));
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("keys", apiKeys.list(100, cursor));
        return "dashboard/settings";
    }

    private static @Nullable Integer integer(String value, String field, Map<String, String> errors) {
        if (value.isEmpty()) {
            return null; // @NotNull says so
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            errors.put(field, "must be an integer");
            return null;
        }
    }

    /**
     * Answers with the page showing the new key, not with a redirect: POST/redirect/GET would keep the key in the
     * session, which is stored in PostgreSQL, until the next page (for good if that never comes). The cost is that a
     * reload asks to post again, and another key is created if the user agrees.
     */
    @PostMapping("/settings/api-keys")
    String createKey(Model model, HttpServletResponse response) {
        ApiKeyService.IssuedKey key = apiKeys.issue(TenantContext.require(), DbTime.now());
        // Neither the browser's cache nor its back/forward history keeps the page with the key.
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        model.addAttribute("issuedKey", key.apiKey());
        TenantSettings current = settings.current();
        return page(model, current, SettingsForm.of(current), Map.of(), null);
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
