package dev.unusd.hub.account;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.unusd.hub.aws.AwsRegions;
import dev.unusd.hub.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The dashboard's accounts: their status, adding one, and its onboarding links (quick-create, CLI command,
 * template). Registration goes through the same service and rules as POST /api/v1/accounts.
 */
@Controller
class AccountsPage {

    private static final Pattern AWS_ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final int LISTED = 500;

    private final AccountService accounts;
    private final OnboardingLinks onboarding;

    AccountsPage(AccountService accounts, OnboardingLinks onboarding) {
        this.accounts = accounts;
        this.onboarding = onboarding;
    }

    @GetMapping("/accounts")
    String list(@RequestParam(required = false) @Nullable String cursor, Model model) {
        model.addAttribute("page", accounts.list(LISTED, cursor));
        return "dashboard/accounts";
    }

    @PostMapping("/accounts")
    String add(@RequestParam String awsAccountId, @RequestParam String name,
            @RequestParam(defaultValue = "") String regions, Model model, HttpServletResponse response) {
        List<String> errors = new ArrayList<>();
        String accountId = awsAccountId.strip();
        String accountName = name.strip();
        List<String> chosen = Arrays.stream(regions.split("[,\\s]+")).filter(r -> !r.isEmpty()).distinct().toList();
        if (!AWS_ACCOUNT_ID.matcher(accountId).matches()) {
            errors.add("The AWS account id must be 12 digits.");
        }
        if (accountName.isEmpty() || accountName.length() > 200) {
            errors.add("The name must be 1 to 200 characters.");
        }
        chosen.stream().filter(r -> !AwsRegions.isScannable(r)).forEach(r -> errors.add(AwsRegions.isKnown(r)
                ? r + " is not in the aws partition: the spoke role cannot be reached there."
                : r + " is not an AWS region."));
        if (chosen.size() > 40) {
            errors.add("At most 40 regions.");
        }
        if (errors.isEmpty()) {
            try {
                // The links need the hub's principal: a hub that cannot name it registers nothing (as the API).
                onboarding.principal();
                AccountRef added = accounts.register(accountId, accountName, chosen.isEmpty() ? null : chosen, null);
                return "redirect:/accounts/" + added.id() + "?added";
            } catch (ApiException e) {
                errors.add(e.getMessage());
                response.setStatus(e.status().value());
            }
        } else {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
        }
        model.addAttribute("page", accounts.list(LISTED, null));
        model.addAttribute("errors", errors);
        model.addAttribute("form", new AccountForm(accountId, accountName, regions));
        return "dashboard/accounts";
    }

    record AccountForm(String awsAccountId, String name, String regions) {
    }

    @GetMapping("/accounts/{id}")
    String account(@PathVariable UUID id, Model model) {
        AccountRef account = accounts.get(id);
        model.addAttribute("account", account);
        model.addAttribute("onboarding", onboarding.forAccount(account, onboarding.principal()));
        return "dashboard/account";
    }
}
