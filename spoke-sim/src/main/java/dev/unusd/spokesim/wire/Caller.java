package dev.unusd.spokesim.wire;

import dev.unusd.spokesim.sts.Principal;

/** The identity behind a request's access key id. */
public record Caller(Principal principal, String accessKeyId, boolean owner) {

    public String accountId() {
        return principal.accountId();
    }
}
