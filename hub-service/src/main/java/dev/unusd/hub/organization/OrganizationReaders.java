package dev.unusd.hub.organization;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Opens an {@link OrganizationReader} on the organisation's reader role. The endpoint follows the SDK's own settings
 * (AWS_ENDPOINT_URL_ORGANIZATIONS or aws.endpointUrlOrganizations, then AWS_ENDPOINT_URL or aws.endpointUrl), so a
 * simulator plugs in as it does for STS and KMS.
 */
@Component
class OrganizationReaders implements DisposableBean {

    private static final String DEFAULT_ENDPOINT = "https://organizations.us-east-1.amazonaws.com";

    private final StsClient sts;
    private final OrganizationsProperties properties;
    private final SdkHttpClient http = ApacheHttpClient.builder().maxConnections(4)
            .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)).build();

    OrganizationReaders(StsClient sts, OrganizationsProperties properties) {
        this.sts = sts;
        this.properties = properties;
    }

    /** A reader on a role session of its own; close it when the sync is done. */
    Session open(OrganizationRecord organization) {
        StsAssumeRoleCredentialsProvider credentials = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(r -> r.roleArn(organization.readerRoleArn()).externalId(organization.externalId())
                        .roleSessionName("unusd-org-sync-" + organization.id().toString().substring(0, 8))
                        .durationSeconds(3600))
                .build();
        return new Session(new OrganizationReader(http, endpoint(), credentials, properties), credentials);
    }

    static URI endpoint() {
        return URI.create(setting("aws.endpointUrlOrganizations", "AWS_ENDPOINT_URL_ORGANIZATIONS")
                .or(() -> setting("aws.endpointUrl", "AWS_ENDPOINT_URL")).orElse(DEFAULT_ENDPOINT));
    }

    private static Optional<String> setting(String property, String variable) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    @Override
    public void destroy() {
        http.close();
    }

    record Session(OrganizationReader reader, StsAssumeRoleCredentialsProvider credentials) implements AutoCloseable {
        @Override
        public void close() {
            credentials.close();
        }
    }
}
