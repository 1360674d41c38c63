package dev.unusd.hub.kms;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import dev.unusd.hub.finding.FindingQueries;
import dev.unusd.hub.web.ApiException;

/** One key on the dashboard: what AWS told about it, the evidence of its use, its rotation and its findings. */
@Controller
class KeyPage {

    private final KeyQueries keys;
    private final FindingQueries findings;

    KeyPage(KeyQueries keys, FindingQueries findings) {
        this.keys = keys;
        this.findings = findings;
    }

    @GetMapping("/keys/{id}")
    String key(@PathVariable UUID id, Model model) {
        KeyItem key = keys.find(id).orElseThrow(() -> ApiException.notFound("Key"));
        model.addAttribute("key", key);
        model.addAttribute("findings", findings.forKey(id));
        return "dashboard/key";
    }
}
