package dev.unusd.hub.tenant;

import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

/** Who made the current request, as the authentication filter established it. */
public final class Authentication {

    static final String API_KEY_ATTRIBUTE = Authentication.class.getName() + ".apiKeyId";

    private Authentication() {
    }

    /** The API key of a tenant request, for per-key limits. */
    public static Optional<UUID> apiKeyId(HttpServletRequest request) {
        return Optional.ofNullable((UUID) request.getAttribute(API_KEY_ATTRIBUTE));
    }
}
