package dev.unusd.hub.organization;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How a customer deploys the two stacks an organisation needs: the reader role in the account the hub reads the
 * organisation through, and the spoke-role StackSet (service-managed, auto-deployment on) for the chosen OUs, both
 * with the organisation's ExternalId. The CLI commands download the templates this hub serves and deploy them from
 * the local files (CloudFormation takes templates by URL only from S3).
 */
@Component
class OrganizationOnboarding {

    static final String READER_TEMPLATE_PATH = "/api/v1/onboarding/org-reader-role.yaml";
    static final String STACKSET_TEMPLATE_PATH = "/api/v1/onboarding/spoke-stackset.yaml";

    private final String publicUrl;

    OrganizationOnboarding(@Value("${hub.public-url}") String publicUrl) {
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    @Schema(name = "OrganizationOnboarding")
    record Onboarding(
            @Schema(description = "Deploy first, in the account given as managementAccountId: lets the hub read the"
                    + " organisation's OUs, accounts and tags, nothing else") Stack readerRole,
            @Schema(description = "Deploy in the management account (or a CloudFormation delegated administrator):"
                    + " the spoke role in every account of the chosen OUs, and in each account that joins them")
            Stack stackSet) {
    }

    record Stack(String templateUrl, String cliCommand, @Nullable String note) {
    }

    Onboarding forOrganization(OrganizationRecord organization, String principal) {
        String reader = "curl -fsS -o org-reader-role.yaml " + publicUrl + READER_TEMPLATE_PATH
                + " && aws cloudformation create-stack --region us-east-1 --stack-name unusd-org-reader"
                + " --template-body file://org-reader-role.yaml --parameters"
                + " ParameterKey=HubPrincipal,ParameterValue=" + principal
                + " ParameterKey=ExternalId,ParameterValue=" + organization.externalId()
                + " ParameterKey=RoleName,ParameterValue=" + organization.readerRoleName()
                + " --capabilities CAPABILITY_NAMED_IAM";
        boolean wholeOrganization = organization.organizationalUnits().isEmpty();
        // The CLI's shorthand needs the commas inside one list value escaped.
        String targets = wholeOrganization ? "$(aws organizations list-roots --query 'Roots[0].Id' --output text)"
                : String.join("\\,", organization.organizationalUnits());
        String stackSet = "curl -fsS -o spoke-stackset.yaml " + publicUrl + STACKSET_TEMPLATE_PATH
                + " && aws cloudformation create-stack --region us-east-1 --stack-name unusd-spoke-role-stackset"
                + " --template-body file://spoke-stackset.yaml --parameters"
                + " ParameterKey=HubPrincipal,ParameterValue=" + principal
                + " ParameterKey=ExternalId,ParameterValue=" + organization.externalId()
                + " ParameterKey=RoleName,ParameterValue=" + organization.spokeRoleName()
                + " \"ParameterKey=OrganizationalUnitIds,ParameterValue=" + targets + "\""
                + " --capabilities CAPABILITY_NAMED_IAM";
        String note = "Service-managed StackSets never deploy to the management account itself: to scan it, register"
                + " it with POST /api/v1/accounts and its own spoke-role stack."
                + (wholeOrganization ? " No OUs were chosen, so the StackSet targets the organisation's root." : "");
        return new Onboarding(new Stack(publicUrl + READER_TEMPLATE_PATH, reader, null),
                new Stack(publicUrl + STACKSET_TEMPLATE_PATH, stackSet, note));
    }
}
