package dev.unusd.hub.aws;

import java.util.UUID;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@Tag(name = "Accounts", description = "Registered AWS accounts and their spoke-role onboarding")
class VerificationController {

    private final SpokeVerification verification;

    VerificationController(SpokeVerification verification) {
        this.verification = verification;
    }

    @PostMapping("/api/v1/accounts/{id}/verify")
    @Operation(summary = "Assume the spoke role and check each permission the hub needs in every region of the account")
    SpokeVerification.Result verify(@PathVariable UUID id) {
        return verification.verify(id);
    }
}
