package dev.unusd.hub.account;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.unusd.hub.aws.HubPrincipal;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How a customer deploys the spoke role for one registered account: where the template is, a CloudFormation
 * console quick-create link with every parameter filled in, and the equivalent CLI command.
 *
 * <p>CloudFormation takes a template by URL (quick-create's {@code templateURL}, {@code create-stack --template-url})
 * only from S3. With {@code hub.template-url} (HUB_TEMPLATE_URL) the links use that published copy; without it
 * there is no quick-create link, and the CLI command downloads the template this hub serves and passes it as a
 * local file ({@code --template-body}, up to 51,200 bytes: the template is far below).
 */
@Component
class OnboardingLinks {

    static final String TEMPLATE_PATH = "/api/v1/onboarding/spoke-role.yaml";
    static final String STACK_NAME = "unusd-spoke-role";
    static final String LOCAL_TEMPLATE = "spoke-role.yaml";
    static final String WITHOUT_S3_NOTE = "CloudFormation takes templates by URL only from S3, so there is no"
            + " quick-create link: publish the spoke-role template to S3 and set HUB_TEMPLATE_URL on the hub to get one."
            + " Until then, cliCommand downloads the template from templateUrl and deploys it from the local file.";

    private final String servedTemplateUrl;
    private final Optional<String> publishedTemplateUrl;
    private final HubPrincipal hubPrincipal;

    OnboardingLinks(@Value("${hub.public-url}") String publicUrl, @Value("${hub.template-url:}") String templateUrl,
            HubPrincipal hubPrincipal) {
        this.servedTemplateUrl = publicUrl.replaceAll("/+$", "") + TEMPLATE_PATH;
        this.publishedTemplateUrl = templateUrl.isBlank() ? Optional.empty() : Optional.of(https(templateUrl.strip()));
        this.hubPrincipal = hubPrincipal;
    }

    @Schema(name = "Onboarding")
    record Onboarding(
            @Schema(description = "The spoke-role template: its copy in S3 (HUB_TEMPLATE_URL), else the one this hub serves")
            String templateUrl,
            @Schema(description = "CloudFormation console quick-create link; null when the hub has no template in S3")
            @Nullable String quickCreateUrl,
            @Schema(description = "The equivalent AWS CLI command") String cliCommand,
            @Schema(description = "Why quickCreateUrl is null and what to do; null when the links are complete")
            @Nullable String note) {
    }

    /** The hub's principal, which every link carries: asked of STS once when not configured (503 when it cannot be). */
    String principal() {
        return hubPrincipal.value();
    }

    Onboarding forAccount(AccountRef account, String principal) {
        // IAM is global; the stack only needs a home region: the account's first, or us-east-1 (every region has it).
        String region = account.everyRegion() ? "us-east-1" : account.regions().get(0);
        String parameters = " --parameters ParameterKey=HubPrincipal,ParameterValue=" + principal
                + " ParameterKey=ExternalId,ParameterValue=" + account.externalId()
                + " ParameterKey=RoleName,ParameterValue=" + account.roleName()
                + " --capabilities CAPABILITY_NAMED_IAM";
        String createStack = "aws cloudformation create-stack --region " + region + " --stack-name " + STACK_NAME;
        if (publishedTemplateUrl.isPresent()) {
            String templateUrl = publishedTemplateUrl.get();
            String quickCreate = "https://" + region + ".console.aws.amazon.com/cloudformation/home?region=" + region
                    + "#/stacks/quickcreate?templateURL=" + encode(templateUrl)
                    + "&stackName=" + STACK_NAME
                    + "&param_HubPrincipal=" + encode(principal)
                    + "&param_ExternalId=" + encode(account.externalId())
                    + "&param_RoleName=" + encode(account.roleName());
            return new Onboarding(templateUrl, quickCreate, createStack + " --template-url " + templateUrl + parameters,
                    null);
        }
        String cli = "curl -fsS -o " + LOCAL_TEMPLATE + " " + servedTemplateUrl + " && " + createStack
                + " --template-body file://" + LOCAL_TEMPLATE + parameters;
        return new Onboarding(servedTemplateUrl, null, cli, WITHOUT_S3_NOTE);
    }

    private static String https(String templateUrl) {
        if (!templateUrl.startsWith("https://")) {
            throw new IllegalStateException("HUB_TEMPLATE_URL must be the https:// URL of the spoke-role template in S3"
                    + " (CloudFormation takes no other), not " + templateUrl);
        }
        return templateUrl;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
