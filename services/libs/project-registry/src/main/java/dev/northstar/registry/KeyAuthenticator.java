package dev.northstar.registry;

import dev.northstar.platform.usecase.Refused;
import dev.northstar.platform.rest.BearerToken;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Finds the project of an {@code Authorization: Bearer <key>} header, for one role. A key this
 * instance does not know is 401 once the registry is loaded, and 503 with Retry-After while it is
 * still loading (the key may well be valid).
 */
@ApplicationScoped
public class KeyAuthenticator {

    private static final Duration LOADING_RETRY = Duration.ofSeconds(1);

    private final ProjectRegistry registry;
    private final RegistryCatchUp catchUp;

    public KeyAuthenticator(ProjectRegistry registry, RegistryCatchUp catchUp) {
        this.registry = registry;
        this.catchUp = catchUp;
    }

    /** The project the key belongs to; throws the {@link Refused} to answer otherwise. */
    public String projectOf(String authorizationHeader, KeyRole role) {
        String what = role == KeyRole.WRITE ? "write key" : "read key";
        String key = BearerToken.from(authorizationHeader).orElseThrow(() -> Refused.notAuthenticated(
                "A valid " + what + " is required: Authorization: Bearer <" + what + ">"));
        // Whether the registry was loaded is read *before* the key is looked up: read after, a key
        // applied in between would be refused with 401 although the lookup merely came too early.
        boolean loaded = catchUp.isCaughtUp();
        return registry.authenticate(key, role).orElseThrow(() -> loaded
                ? Refused.notAuthenticated("A valid " + what + " is required: Authorization: Bearer <" + what + ">")
                : Refused.unavailable("The project registry is still loading; retry shortly.", LOADING_RETRY));
    }
}
