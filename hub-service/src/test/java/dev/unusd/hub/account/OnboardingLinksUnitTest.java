package dev.unusd.hub.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.aws.HubPrincipal;

class OnboardingLinksUnitTest {

    static final String EXTERNAL_ID = "unusd-0123456789abcdefghijABCDEFGHIJ0123456789";
    static final AccountRef ACCOUNT = new AccountRef(UUID.randomUUID(), UUID.randomUUID(), "123456789012", "payments",
            List.of("eu-west-1", "us-east-1"), false, "UnusdSpokeRole", EXTERNAL_ID, true, AccountStatus.PENDING,
            Instant.parse("2026-11-28T10:00:00Z"), null);
    static final String S3_TEMPLATE = "https://unusd-templates.s3.eu-west-1.amazonaws.com/unusd/spoke-role.yaml";

    @Test
    void withTheTemplateInS3BothLinksUseIt() {
        OnboardingLinks links = new OnboardingLinks("https://hub.example.test/", S3_TEMPLATE, mock(HubPrincipal.class));

        OnboardingLinks.Onboarding onboarding = links.forAccount(ACCOUNT, "arn:aws:iam::111111111111:role/UnusdHub");

        assertThat(onboarding.templateUrl()).isEqualTo(S3_TEMPLATE);
        assertThat(onboarding.quickCreateUrl()).isEqualTo(
                "https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/quickcreate"
                        + "?templateURL=https%3A%2F%2Funusd-templates.s3.eu-west-1.amazonaws.com%2Funusd%2Fspoke-role.yaml"
                        + "&stackName=unusd-spoke-role"
                        + "&param_HubPrincipal=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2FUnusdHub"
                        + "&param_ExternalId=" + EXTERNAL_ID
                        + "&param_RoleName=UnusdSpokeRole");
        assertThat(onboarding.cliCommand()).isEqualTo(
                "aws cloudformation create-stack --region eu-west-1 --stack-name unusd-spoke-role"
                        + " --template-url " + S3_TEMPLATE
                        + " --parameters ParameterKey=HubPrincipal,ParameterValue=arn:aws:iam::111111111111:role/UnusdHub"
                        + " ParameterKey=ExternalId,ParameterValue=" + EXTERNAL_ID
                        + " ParameterKey=RoleName,ParameterValue=UnusdSpokeRole --capabilities CAPABILITY_NAMED_IAM");
        assertThat(onboarding.note()).isNull();
    }

    @Test
    void withoutItThereIsNoQuickCreateLinkAndTheCliDeploysALocalCopyOfTheServedTemplate() {
        OnboardingLinks links = new OnboardingLinks("https://hub.example.test/", " ", mock(HubPrincipal.class));

        OnboardingLinks.Onboarding onboarding = links.forAccount(ACCOUNT, "111111111111");

        assertThat(onboarding.templateUrl()).isEqualTo("https://hub.example.test/api/v1/onboarding/spoke-role.yaml");
        assertThat(onboarding.quickCreateUrl()).isNull();
        assertThat(onboarding.cliCommand()).isEqualTo(
                "curl -fsS -o spoke-role.yaml https://hub.example.test/api/v1/onboarding/spoke-role.yaml"
                        + " && aws cloudformation create-stack --region eu-west-1 --stack-name unusd-spoke-role"
                        + " --template-body file://spoke-role.yaml"
                        + " --parameters ParameterKey=HubPrincipal,ParameterValue=111111111111"
                        + " ParameterKey=ExternalId,ParameterValue=" + EXTERNAL_ID
                        + " ParameterKey=RoleName,ParameterValue=UnusdSpokeRole --capabilities CAPABILITY_NAMED_IAM");
        assertThat(onboarding.note()).isEqualTo("CloudFormation takes templates by URL only from S3, so there is no"
                + " quick-create link: publish the spoke-role template to S3 and set HUB_TEMPLATE_URL on the hub to"
                + " get one. Until then, cliCommand downloads the template from templateUrl and deploys it from the"
                + " local file.");
    }

    @Test
    void aTemplateUrlCloudFormationWouldRefuseStopsTheHubAtStartUp() {
        assertThatThrownBy(() -> new OnboardingLinks("https://hub.example.test", "http://bucket.example.test/t.yaml",
                mock(HubPrincipal.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("HUB_TEMPLATE_URL must be the https:// URL of the spoke-role template in S3 (CloudFormation"
                        + " takes no other), not http://bucket.example.test/t.yaml");
    }
}
