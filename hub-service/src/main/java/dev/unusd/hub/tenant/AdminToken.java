package dev.unusd.hub.tenant;

import java.security.MessageDigest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The admin bearer token from HUB_ADMIN_TOKEN. Kept only as a digest, compared in constant time. */
@Component
class AdminToken {

    private final byte[] digest;

    AdminToken(@Value("${hub.admin-token:}") String token) {
        this.digest = token.isBlank() ? new byte[0] : ApiKeySecret.hash(token);
    }

    boolean enabled() {
        return digest.length > 0;
    }

    boolean matches(String presented) {
        return enabled() && MessageDigest.isEqual(digest, ApiKeySecret.hash(presented));
    }

}
