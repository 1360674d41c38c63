package dev.unusd.hub.account;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.unusd.hub.aws.HubPrincipal;

/**
 * How a customer deploys the spoke role for one registered account: the template this hub serves, a CloudFormation
 * console quick-create link with every parameter filled in, and the equivalent CLI command.
 */
@Component
class OnboardingLinks {

    static final String TEMPLATE_PATH = "/api/v1/onboarding/spoke-role.yaml";
    static final String STACK_NAME = "unusd-spoke-role";

    private final String publicUrl;
    private final HubPrincipal hubPrincipal;

    OnboardingLinks(@Value("${hub.public-url}") String publicUrl, HubPrincipal hubPrincipal) {
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        this.hubPrincipal = hubPrincipal;
    }

    record Onboarding(String templateUrl, String quickCreateUrl, String cliCommand) {
    }

    Onboarding forAccount(AccountRef account) {
        String templateUrl = publicUrl + TEMPLATE_PATH;
        String principal = hubPrincipal.value();
        // IAM is global; the stack only needs a home region, the account's first.
        String region = account.regions().get(0);
        String quickCreate = "https://" + region + ".console.aws.amazon.com/cloudformation/home?region=" + region
                + "#/stacks/quickcreate?templateURL=" + encode(templateUrl)
                + "&stackName=" + STACK_NAME
                + "&param_HubPrincipal=" + encode(principal)
                + "&param_ExternalId=" + encode(account.externalId())
                + "&param_RoleName=" + encode(account.roleName());
        String cli = "aws cloudformation create-stack --region " + region
                + " --stack-name " + STACK_NAME
                + " --template-url " + templateUrl
                + " --parameters ParameterKey=HubPrincipal,ParameterValue=" + principal
                + " ParameterKey=ExternalId,ParameterValue=" + account.externalId()
                + " ParameterKey=RoleName,ParameterValue=" + account.roleName()
                + " --capabilities CAPABILITY_NAMED_IAM";
        return new Onboarding(templateUrl, quickCreate, cli);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
