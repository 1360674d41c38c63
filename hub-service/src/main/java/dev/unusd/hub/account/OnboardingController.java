package dev.unusd.hub.account;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.unusd.hub.aws.HubPrincipal;
import dev.unusd.spokerole.SpokeRoleTemplate;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Serves the spoke-role template; public, because CloudFormation fetches it without credentials. */
@RestController
@Tag(name = "Onboarding")
class OnboardingController {

    static final MediaType TEXT_YAML = MediaType.parseMediaType("text/yaml;charset=UTF-8");
    private static final String PRINCIPAL_PARAMETER = "  HubPrincipal:\n    Type: String\n";

    private final HubPrincipal hubPrincipal;

    OnboardingController(HubPrincipal hubPrincipal) {
        this.hubPrincipal = hubPrincipal;
    }

    @GetMapping(value = OnboardingLinks.TEMPLATE_PATH, produces = "text/yaml")
    @Operation(summary = "The spoke-role CloudFormation template, with this hub's principal as the default")
    @ApiResponse(responseCode = "200", description = "The template")
    @ApiResponse(responseCode = "503", description = "The hub's AWS principal is unknown (HUB_PRINCIPAL unset and STS"
            + " unreachable)")
    ResponseEntity<String> spokeRoleTemplate() {
        return ResponseEntity.ok().contentType(TEXT_YAML).body(withDefaultPrincipal(SpokeRoleTemplate.spokeRole().text()));
    }

    String withDefaultPrincipal(String template) {
        if (!template.contains(PRINCIPAL_PARAMETER)) {
            throw new IllegalStateException("spoke-role template has no HubPrincipal parameter where expected");
        }
        return template.replace(PRINCIPAL_PARAMETER,
                PRINCIPAL_PARAMETER + "    Default: \"" + hubPrincipal.value() + "\"\n");
    }
}
