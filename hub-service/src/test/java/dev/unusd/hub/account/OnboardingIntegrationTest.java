package dev.unusd.hub.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.spokerole.SpokeRoleTemplate;

class OnboardingIntegrationTest extends HubIntegrationTest {

    @Test
    @SuppressWarnings("unchecked")
    void servesTheSpokeRoleTemplateWithThisHubAsDefaultPrincipal() {
        // Public: CloudFormation fetches it without credentials.
        ApiClient.Response response = anonymous().get("/api/v1/onboarding/spoke-role.yaml");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/yaml");
        SpokeRoleTemplate served = SpokeRoleTemplate.of("served", response.text());
        Map<String, Object> principal = (Map<String, Object>) ((Map<String, Object>) served.document().get("Parameters"))
                .get("HubPrincipal");
        assertThat(principal.get("Default")).isEqualTo(HUB_ACCOUNT);
        assertThat(served.allowedActions()).isEqualTo(SpokeRoleTemplate.spokeRole().allowedActions());
        assertThat(served.document().keySet()).containsExactlyElementsOf(SpokeRoleTemplate.spokeRole().document().keySet());
        assertThat(List.copyOf(served.allowedActions())).hasSize(10);
        // Without a copy in S3 the CLI command passes it with --template-body, which takes at most 51,200 bytes.
        assertThat(response.text().getBytes(StandardCharsets.UTF_8).length).isLessThan(51_200);
    }
}
