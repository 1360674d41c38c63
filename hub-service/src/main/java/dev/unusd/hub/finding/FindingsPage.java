package dev.unusd.hub.finding;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.aws.AwsRegions;
import dev.unusd.hub.db.DbTime;
import dev.unusd.hub.rule.FindingType;
import dev.unusd.hub.rule.Severity;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.RepeatedParameters;

/**
 * The dashboard's findings: the API's filters (account, region, type, severity, status, and whether a recent scan
 * vouches for them) and keyset paging, each finding's evidence and remediation, and the
 * same filter as a CSV download. Reads through the same queries as GET /api/v1/findings.
 */
@Controller
class FindingsPage {

    private static final int PAGE_SIZE = 50;

    private final FindingQueries findings;
    private final FindingExport export;
    private final AccountApi accounts;
    private final Suppressions suppressions;

    FindingsPage(FindingQueries findings, FindingExport export, AccountApi accounts, Suppressions suppressions) {
        this.findings = findings;
        this.export = export;
        this.accounts = accounts;
        this.suppressions = suppressions;
    }

    @GetMapping("/findings")
    String findings(
            @RequestParam(required = false) @Nullable List<FindingType> type,
            @RequestParam(defaultValue = "OPEN") List<FindingItem.Status> status,
            @RequestParam(required = false) @Nullable List<Severity> severity,
            @RequestParam(required = false) @Nullable UUID accountId,
            @RequestParam(required = false) @Nullable String region,
            @RequestParam(required = false) @Nullable Boolean unverified,
            @RequestParam(defaultValue = "-severity") String sort,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        FindingQueries.Filter filter = filter(type, status, severity, accountId, region, unverified);
        FindingQueries.Sort order = FindingQueries.Sort.parse(sort);
        model.addAttribute("page", findings.items(filter, order, PAGE_SIZE, cursor));
        model.addAttribute("filter", filter);
        model.addAttribute("sort", order.name);
        model.addAttribute("sorts", FindingQueries.Sort.NAMES);
        model.addAttribute("types", FindingType.values());
        model.addAttribute("severities", Severity.values());
        model.addAttribute("statuses", FindingItem.Status.values());
        model.addAttribute("accounts", accounts.enabledAccounts());
        model.addAttribute("regions", AwsRegions.known().stream().sorted().toList());
        return "dashboard/findings";
    }

    @GetMapping("/findings/export.csv")
    ResponseEntity<StreamingResponseBody> csv(
            @RequestParam(required = false) @Nullable List<FindingType> type,
            @RequestParam(defaultValue = "OPEN") List<FindingItem.Status> status,
            @RequestParam(required = false) @Nullable List<Severity> severity,
            @RequestParam(required = false) @Nullable UUID accountId,
            @RequestParam(required = false) @Nullable String region,
            @RequestParam(required = false) @Nullable Boolean unverified,
            @RequestParam(defaultValue = "-severity") String sort) {
        FindingQueries.Filter filter = filter(type, status, severity, accountId, region, unverified);
        FindingQueries.Sort order = FindingQueries.Sort.parse(sort);
        return FindingController.download(export, filter, order);
    }

    /**
     * Mutes a finding, its key, or its type across its account, through the same service as POST
     * /api/v1/suppressions; back to the list with what happened. Bad input is answered 400 and mutes nothing.
     */
    @PostMapping("/findings/{id}/mute")
    String mute(@PathVariable UUID id, @RequestParam Suppressions.Scope scope, @RequestParam String reason,
            @RequestParam String author, @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate expiresOn,
            RedirectAttributes redirect) {
        FindingItem finding = findings.find(id).orElseThrow(() -> ApiException.notFound("Finding"));
        String why = reason.strip();
        String who = author.strip();
        if (why.isEmpty() || why.length() > 1000) {
            throw ApiException.badRequest("reason", "must be 1 to 1000 characters");
        }
        if (who.isEmpty() || who.length() > 200) {
            throw ApiException.badRequest("author", "must be 1 to 200 characters");
        }
        Suppressions.Target target = switch (scope) {
            case FINDING -> new Suppressions.Target(scope, id, null, null, null);
            case KEY -> new Suppressions.Target(scope, null, finding.keyRef(), null, null);
            case ACCOUNT_TYPE -> new Suppressions.Target(scope, null, null, finding.accountId(), finding.type());
        };
        Instant expiresAt = expiresOn == null ? null : expiresOn.atStartOfDay(ZoneOffset.UTC).toInstant();
        Suppressions.Suppression muted = suppressions.create(target, why, who, expiresAt, DbTime.now());
        redirect.addFlashAttribute("muted", muted.suppressedFindings());
        return "redirect:/findings";
    }

    private static FindingQueries.Filter filter(@Nullable List<FindingType> types, List<FindingItem.Status> statuses,
            @Nullable List<Severity> severities, @Nullable UUID accountId, @Nullable String region,
            @Nullable Boolean unverified) {
        Set<FindingItem.Status> status = RepeatedParameters.values(statuses);
        boolean anyRegion = region == null || region.isBlank();
        if (!anyRegion && !AwsRegions.isKnown(region)) {
            throw ApiException.badRequest("region", "is not an AWS region");
        }
        return new FindingQueries.Filter(status.isEmpty() ? EnumSet.of(FindingItem.Status.OPEN) : status,
                RepeatedParameters.values(types), RepeatedParameters.values(severities), accountId, null,
                anyRegion ? null : region, null, null, unverified);
    }
}
