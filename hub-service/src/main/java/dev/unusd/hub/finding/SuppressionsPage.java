package dev.unusd.hub.finding;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.db.DbTime;
import dev.unusd.hub.rule.FindingType;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.FieldError;
import dev.unusd.hub.web.Page;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The dashboard's suppressions: the tenant's mutes, active and expired, one to create (one finding, one key, or a
 * finding type across an account) and each to remove. Through the same service as /api/v1/suppressions; a form with
 * bad input is shown again with each message beside its field, and nothing is created.
 */
@Controller
class SuppressionsPage {

    private static final int PAGE_SIZE = 50;

    private final Suppressions suppressions;
    private final AccountApi accounts;

    SuppressionsPage(Suppressions suppressions, AccountApi accounts) {
        this.suppressions = suppressions;
        this.accounts = accounts;
    }

    /** The form's fields as typed, so a refused form comes back as it was sent. */
    record SuppressionForm(String scope, String findingId, String keyRef, String accountId, String type, String reason,
            String author, String expiresOn) {
    }

    /** The list; {@code scope}, {@code findingId}, {@code keyRef}, {@code accountId}, {@code type} fill the form in. */
    @GetMapping("/suppressions")
    String list(@RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "FINDING") String scope, @RequestParam(defaultValue = "") String findingId,
            @RequestParam(defaultValue = "") String keyRef, @RequestParam(defaultValue = "") String accountId,
            @RequestParam(defaultValue = "") String type, Model model) {
        return page(model, cursor, new SuppressionForm(scope, findingId, keyRef, accountId, type, "", "", ""),
                Map.of());
    }

    @PostMapping("/suppressions")
    String create(@RequestParam(defaultValue = "") String scope, @RequestParam(defaultValue = "") String findingId,
            @RequestParam(defaultValue = "") String keyRef, @RequestParam(defaultValue = "") String accountId,
            @RequestParam(defaultValue = "") String type, @RequestParam(defaultValue = "") String reason,
            @RequestParam(defaultValue = "") String author, @RequestParam(defaultValue = "") String expiresOn,
            Model model, HttpServletResponse response, RedirectAttributes redirect) {
        SuppressionForm form = new SuppressionForm(scope, findingId, keyRef, accountId, type, reason, author,
                expiresOn);
        Map<String, String> errors = new LinkedHashMap<>();
        Suppressions.Scope chosen = parseScope(scope, errors);
        // Only the fields of the chosen scope are read: the others may still hold what the link filled in.
        Suppressions.Target target = null;
        if (chosen != null) {
            target = switch (chosen) {
                case FINDING -> new Suppressions.Target(chosen, uuid(findingId, "findingId", errors), null, null, null);
                case KEY -> new Suppressions.Target(chosen, null, uuid(keyRef, "keyRef", errors), null, null);
                case ACCOUNT_TYPE -> new Suppressions.Target(chosen, null, null, uuid(accountId, "accountId", errors),
                        findingType(type, errors));
            };
        }
        String why = reason.strip();
        String who = author.strip();
        if (why.isEmpty() || why.length() > 1000) {
            errors.put("reason", "must be 1 to 1000 characters");
        }
        if (who.isEmpty() || who.length() > 200) {
            errors.put("author", "must be 1 to 200 characters");
        }
        Instant expiresAt = expiry(expiresOn, errors);
        if (errors.isEmpty() && target != null) {
            try {
                suppressions.create(target, why, who, expiresAt, DbTime.now());
                redirect.addFlashAttribute("message", "The suppression was created.");
                return "redirect:/suppressions";
            } catch (ApiException e) {
                if (e.status() != HttpStatus.NOT_FOUND && e.errors().isEmpty()) {
                    throw e;
                }
                response.setStatus(e.status().value());
                if (e.status() == HttpStatus.NOT_FOUND) {
                    errors.put(targetField(chosen), "does not name one of this tenant's " + switch (chosen) {
                        case FINDING -> "findings";
                        case KEY -> "keys";
                        case ACCOUNT_TYPE -> "accounts";
                    });
                }
                for (FieldError error : e.errors()) {
                    errors.put(error.field().equals("expiresAt") ? "expiresOn" : error.field(), error.message());
                }
            }
        } else {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
        }
        return page(model, null, form, errors);
    }

    @PostMapping("/suppressions/{id}/delete")
    String delete(@PathVariable UUID id, RedirectAttributes redirect) {
        suppressions.delete(id);
        redirect.addFlashAttribute("message", "The suppression was removed; the next scan opens its findings again.");
        return "redirect:/suppressions";
    }

    private String page(Model model, @Nullable String cursor, SuppressionForm form, Map<String, String> errors) {
        Page<Suppressions.Suppression> page = suppressions.list(PAGE_SIZE, cursor);
        model.addAttribute("page", page);
        model.addAttribute("labels", suppressions.labels(page.items()));
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("accounts", accounts.enabledAccounts());
        model.addAttribute("types", FindingType.values());
        return "dashboard/suppressions";
    }

    private static Suppressions.@Nullable Scope parseScope(String scope, Map<String, String> errors) {
        try {
            return Suppressions.Scope.valueOf(scope);
        } catch (IllegalArgumentException e) {
            errors.put("scope", "must be one of " + Arrays.toString(Suppressions.Scope.values()));
            return null;
        }
    }

    private static @Nullable UUID uuid(String value, String field, Map<String, String> errors) {
        if (value.isBlank()) {
            errors.put(field, "is required for this scope");
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            errors.put(field, "must be a UUID");
            return null;
        }
    }

    private static @Nullable FindingType findingType(String value, Map<String, String> errors) {
        if (value.isBlank()) {
            errors.put("type", "is required for this scope");
            return null;
        }
        try {
            return FindingType.valueOf(value.strip());
        } catch (IllegalArgumentException e) {
            errors.put("type", "must be one of " + Arrays.toString(FindingType.values()));
            return null;
        }
    }

    /** The first day the suppression no longer applies, from its start in UTC (as the findings page's mute form). */
    private static @Nullable Instant expiry(String value, Map<String, String> errors) {
        if (value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            errors.put("expiresOn", "must be a date (YYYY-MM-DD)");
            return null;
        }
    }

    private static String targetField(Suppressions.@Nullable Scope scope) {
        return scope == Suppressions.Scope.KEY ? "keyRef"
                : scope == Suppressions.Scope.ACCOUNT_TYPE ? "accountId" : "findingId";
    }
}
