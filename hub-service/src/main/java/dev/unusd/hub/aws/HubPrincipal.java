package dev.unusd.hub.aws;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.unusd.hub.web.ApiException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The principal spoke roles trust: HUB_PRINCIPAL (an account id or role ARN) when set, otherwise the account the
 * hub's own credentials belong to, asked of STS once.
 */
@Component
public class HubPrincipal {

    private final StsClient sts;
    private volatile @Nullable String principal;

    HubPrincipal(StsClient sts, @Value("${hub.principal:}") String configured) {
        this.sts = sts;
        this.principal = configured.isBlank() ? null : configured.strip();
    }

    public String value() {
        String p = principal;
        if (p == null) {
            try {
                p = sts.getCallerIdentity().account();
            } catch (SdkException e) {
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                        "The hub's AWS principal is unknown: set HUB_PRINCIPAL to the hub's account id or role ARN");
            }
            principal = p;
        }
        return p;
    }
}
