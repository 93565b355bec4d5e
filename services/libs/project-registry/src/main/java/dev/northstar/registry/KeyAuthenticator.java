package dev.northstar.registry;

import dev.northstar.platform.usecase.Refused;
import dev.northstar.platform.rest.BearerToken;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import java.time.Duration;

/**
 * Finds the project of an {@code Authorization: Bearer <key>} header, for one role. A key this
 * instance does not know is 503 with Retry-After while the registry is still loading, or while the
 * projects topic holds records this instance has not read yet (the key may have just been created
 * on another instance), and 401 otherwise.
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

    /**
     * The project the key belongs to, or the {@link Refused} to answer. A key this instance does not
     * know once loaded is looked up again after reading where the projects topic ends now: if this
     * instance has not read that far, the key may be a new one (503, retry); else it is refused (401).
     * Never blocks.
     */
    public Uni<String> project(String authorizationHeader, KeyRole role) {
        String what = role == KeyRole.WRITE ? "write key" : "read key";
        String key = BearerToken.from(authorizationHeader).orElseThrow(() -> Refused.notAuthenticated(
                "A valid " + what + " is required: Authorization: Bearer <" + what + ">"));
        boolean loaded = catchUp.isCaughtUp();
        var project = registry.authenticate(key, role);
        if (project.isPresent()) {
            return Uni.createFrom().item(project.get());
        }
        if (!loaded) {
            return Uni.createFrom().failure(
                    Refused.unavailable("The project registry is still loading; retry shortly.", LOADING_RETRY));
        }
        return Uni.createFrom().completionStage(catchUp.behindTopicEndNow()).map(behind -> {
            var known = registry.authenticate(key, role);
            if (known.isPresent()) {
                return known.get();
            }
            if (behind) {
                throw Refused.unavailable("This " + what + " is not known here yet (it may have just been created); "
                        + "retry shortly.", LOADING_RETRY);
            }
            throw Refused.notAuthenticated("A valid " + what + " is required: Authorization: Bearer <" + what + ">");
        });
    }

    /**
     * The same, for request handlers on worker threads: the topic's end is read synchronously (shared
     * by unknown keys arriving within 100 ms of each other).
     */
    public String projectOf(String authorizationHeader, KeyRole role) {
        String what = role == KeyRole.WRITE ? "write key" : "read key";
        String key = BearerToken.from(authorizationHeader).orElseThrow(() -> Refused.notAuthenticated(
                "A valid " + what + " is required: Authorization: Bearer <" + what + ">"));
        // Whether the registry was loaded is read *before* the key is looked up: read after, a key
        // applied in between would be refused with 401 although the lookup merely came too early.
        boolean loaded = catchUp.isCaughtUp();
        var project = registry.authenticate(key, role);
        if (project.isPresent()) {
            return project.get();
        }
        if (!loaded) {
            throw Refused.unavailable("The project registry is still loading; retry shortly.", LOADING_RETRY);
        }
        // A key created on another instance a moment ago: known once this instance has read it.
        if (catchUp.behindTopicEnd() && registry.authenticate(key, role).isEmpty()) {
            throw Refused.unavailable("This " + what + " is not known here yet (it may have just been created); "
                    + "retry shortly.", LOADING_RETRY);
        }
        return registry.authenticate(key, role).orElseThrow(() ->
                Refused.notAuthenticated("A valid " + what + " is required: Authorization: Bearer <" + what + ">"));
    }
}
