package dev.unusd.hub.tenant;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

/** Who made the current request, as the authentication filter established it. */
public final class Authentication {

    static final String API_KEY_ATTRIBUTE = Authentication.class.getName() + ".apiKeyId";
    static final String FINDINGS_VERSION_ATTRIBUTE = Authentication.class.getName() + ".findingsVersion";

    private Authentication() {
    }

    /** The API key of a tenant request, for per-key limits. */
    public static Optional<UUID> apiKeyId(HttpServletRequest request) {
        return Optional.ofNullable((UUID) request.getAttribute(API_KEY_ATTRIBUTE));
    }

    /**
     * The version of the tenant's findings read while authenticating, before anything the request reads itself:
     * a page cached under it is still what a fresh read would return.
     */
    public static OptionalLong findingsVersion(HttpServletRequest request) {
        return request.getAttribute(FINDINGS_VERSION_ATTRIBUTE) instanceof Long version
                ? OptionalLong.of(version) : OptionalLong.empty();
    }
}
