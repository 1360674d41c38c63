package dev.unusd.hub.aws;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/** The account page's Verify button: the same checks as POST /api/v1/accounts/{id}/verify, as an htmx fragment. */
@Controller
class VerificationPage {

    private final SpokeVerification verification;

    VerificationPage(SpokeVerification verification) {
        this.verification = verification;
    }

    @PostMapping("/accounts/{id}/verify")
    String verify(@PathVariable UUID id, Model model) {
        model.addAttribute("result", verification.verify(id));
        return "dashboard/verification :: result";
    }
}
