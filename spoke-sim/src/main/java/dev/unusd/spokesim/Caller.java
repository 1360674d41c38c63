package dev.unusd.spokesim;

/** The identity behind a request's access key id. */
record Caller(Principal principal, String accessKeyId, boolean owner) {

    String accountId() {
        return principal.accountId();
    }
}
