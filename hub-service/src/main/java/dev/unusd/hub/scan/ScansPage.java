package dev.unusd.hub.scan;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The dashboard's scans: the list, starting a scan of every enabled account, and one scan with its targets, whose
 * progress an htmx poll refreshes while it runs. Through the same launcher and history as /api/v1/scans.
 */
@Controller
class ScansPage {

    private static final int LISTED = 20;

    private final ScanLauncher launcher;
    private final ScanHistory history;

    ScansPage(ScanLauncher launcher, ScanHistory history) {
        this.launcher = launcher;
        this.history = history;
    }

    @GetMapping("/scans")
    String list(@RequestParam(required = false) @Nullable String cursor, Model model) {
        model.addAttribute("page", history.summaries(LISTED, cursor));
        return "dashboard/scans";
    }

    @PostMapping("/scans")
    String start() {
        // A scan already running for these accounts is answered instead of a second one, as in the API.
        return "redirect:/scans/" + launcher.launchManual(null).scanId();
    }

    @GetMapping("/scans/{id}")
    String scan(@PathVariable UUID id, Model model) {
        model.addAttribute("scan", history.get(id));
        return "dashboard/scan";
    }

    /** The part of the scan page that changes while it runs; polled by htmx, which stops once the scan has ended. */
    @GetMapping("/scans/{id}/progress")
    String progress(@PathVariable UUID id, Model model) {
        model.addAttribute("scan", history.get(id));
        return "dashboard/scan :: progress";
    }
}
