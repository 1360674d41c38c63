package dev.unusd.hub.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The credentials of the spoke account whose request is being made. The SDK clients of a region are shared by every
 * account (building a client costs milliseconds of CPU and a classpath scan, and an organisation has thousands of
 * account-regions); {@link SpokeRegion#call} binds the account's assumed-role credentials around each request, and
 * the client resolves them on the calling thread when it signs.
 */
final class ScopedCredentials implements AwsCredentialsProvider {

    static final ScopedValue<AwsCredentialsProvider> ACCOUNT = ScopedValue.newInstance();
    static final ScopedCredentials INSTANCE = new ScopedCredentials();

    private ScopedCredentials() {
    }

    @Override
    public AwsCredentials resolveCredentials() {
        if (!ACCOUNT.isBound()) {
            // Never sign with some other account's credentials: a call outside SpokeRegion#call is a defect.
            throw new IllegalStateException("A shared spoke client was called outside SpokeRegion#call: no account bound");
        }
        return ACCOUNT.get().resolveCredentials();
    }
}
