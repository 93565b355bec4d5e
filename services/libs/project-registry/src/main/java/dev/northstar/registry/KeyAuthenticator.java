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

    /** A lookup of one presented key: its answer when known at once, else how to decide once the topic's end is known. */
    private final class Lookup {
        final String what;
        final String key;
        final KeyRole role;
        /** Read *before* the key is looked up: read after, a key applied in between would be refused too early. */
        final boolean loaded;
        final java.util.Optional<String> project;

        Lookup(String authorizationHeader, KeyRole role) {
            this.role = role;
            this.what = role == KeyRole.WRITE ? "write key" : "read key";
            this.key = BearerToken.from(authorizationHeader).orElseThrow(this::refused);
            this.loaded = catchUp.isCaughtUp();
            this.project = registry.authenticate(key, role);
            if (project.isEmpty() && !loaded) {
                throw Refused.unavailable("The project registry is still loading; retry shortly.", LOADING_RETRY);
            }
        }

        /** The answer for a key unknown at first, once it is known whether this instance is behind the topic's end. */
        String decide(boolean behind) {
            var known = registry.authenticate(key, role);
            if (known.isPresent()) {
                return known.get();
            }
            if (behind) {
                // A key created on another instance a moment ago: known once this instance has read it.
                throw Refused.unavailable("This " + what + " is not known here yet (it may have just been created); "
                        + "retry shortly.", LOADING_RETRY);
            }
            throw refused();
        }

        Refused refused() {
            return Refused.notAuthenticated("A valid " + what + " is required: Authorization: Bearer <" + what + ">");
        }
    }

    /**
     * The project the key belongs to, or the {@link Refused} to answer. A key this instance does not
     * know once loaded is looked up again after reading where the projects topic ends now: if this
     * instance has not read that far, the key may be a new one (503, retry); else it is refused (401).
     * Never blocks.
     */
    public Uni<String> project(String authorizationHeader, KeyRole role) {
        Lookup lookup;
        try {
            lookup = new Lookup(authorizationHeader, role);
        } catch (Refused refused) {
            return Uni.createFrom().failure(refused);
        }
        if (lookup.project.isPresent()) {
            return Uni.createFrom().item(lookup.project.get());
        }
        return Uni.createFrom().completionStage(catchUp.behindTopicEndNow()).map(lookup::decide);
    }

    /**
     * The same, for request handlers on worker threads: the topic's end is read synchronously (one
     * question to the broker at a time, shared by the unknown keys that arrive while it is in flight).
     */
    public String projectOf(String authorizationHeader, KeyRole role) {
        Lookup lookup = new Lookup(authorizationHeader, role);
        return lookup.project.orElseGet(() -> lookup.decide(catchUp.behindTopicEnd()));
    }
}
