package dev.unusd.hub.summary;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.unusd.hub.tenant.Authentication;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/** The dashboard's first page: the figures of GET /api/v1/summary, the worst accounts, and 90 days of trends. */
@Controller
class OverviewPage {

    private static final int WORST_ACCOUNTS = 5;

    private final SummaryCache summaries;
    private final Trends trends;
    private final JsonMapper json;
    private final Clock clock;

    OverviewPage(SummaryCache summaries, Trends trends, JsonMapper json, Clock clock) {
        this.summaries = summaries;
        this.trends = trends;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/")
    String overview(Model model, HttpServletRequest request) {
        Summary summary = summaries.current(Authentication.findingsVersion(request));
        // Worst: the most to save, then the most open findings.
        List<Summary.AccountRow> worst = summary.accounts().stream()
                .filter(a -> a.openFindings() > 0)
                .sorted(Comparator.comparing(Summary.AccountRow::potentialMonthlySavingsUsd).reversed()
                        .thenComparing(Comparator.comparingLong(Summary.AccountRow::openFindings).reversed()))
                .limit(WORST_ACCOUNTS)
                .toList();
        List<Trends.Point> points = trends.lastDays(clock.instant());
        model.addAttribute("summary", summary);
        model.addAttribute("worstAccounts", worst);
        model.addAttribute("trendPoints", points.size());
        model.addAttribute("trendsCostUnknown", points.stream().anyMatch(p -> p.costUnknownKeys() > 0));
        // Read by dashboard.js from a data block (no inline script under the page's CSP).
        model.addAttribute("trendsJson", json.writeValueAsString(points));
        return "dashboard/overview";
    }
}
