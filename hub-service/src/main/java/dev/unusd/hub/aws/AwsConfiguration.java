package dev.unusd.hub.aws;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The hub's own AWS identity. Endpoints come from the SDK's standard settings (AWS_ENDPOINT_URL_STS, ...), so a
 * simulator plugs in with no code path of its own.
 */
@Configuration(proxyBeanMethods = false)
class AwsConfiguration {

    @Bean(destroyMethod = "close")
    StsClient hubStsClient(@Value("${hub.aws.region:us-east-1}") String region, AwsCallMetrics metrics) {
        return StsClient.builder().region(Region.of(region))
                .overrideConfiguration(c -> c.addMetricPublisher(metrics)).build();
    }
}
