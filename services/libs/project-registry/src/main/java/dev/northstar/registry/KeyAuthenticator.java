package dev.northstar.registry;

import dev.northstar.platform.limits.FailureLimiter;
import dev.northstar.platform.rest.BearerToken;
import dev.northstar.platform.usecase.Refused;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds the project of an {@code Authorization: Bearer <key>} header, for one role, without ever
 * blocking the thread that asks. A key this instance knows is answered from memory. A key it does not
 * know is 503 with Retry-After while the registry is still loading, or while the projects topic holds
 * records this instance has not read yet (the key may have just been created on another instance), and
 * 401 otherwise. Whatever the broker does, the answer comes within {@link #BROKER_WAIT} (a broker that
 * does not answer in time is 503, never a wait).
 *
 * <p>A write key is public by nature, so unknown keys are made cheap: a key refused is remembered for
 * {@link #REFUSED_FOR} (asked again, it is refused from memory: keys are random and issued here, so a
 * key refused once can never become valid), and failed checks are limited per client address
 * ({@link FailureLimiter}: beyond the burst, 429 before any question to the broker). Only failures are
 * charged, so a known key is never refused by the limit.
 */
@ApplicationScoped
public class KeyAuthenticator {

    /** Longest a request waits for the broker (where the projects topic ends) before it is answered 503. */
    public static final Duration BROKER_WAIT = Duration.ofMillis(800);
    /** How long a refused key is answered 401 from memory. */
    static final Duration REFUSED_FOR = Duration.ofSeconds(10);
    /** Refused keys remembered at most (least recently refused forgotten first). */
    static final int REFUSED_KEYS = 10_000;
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ProjectRegistry registry;
    private final RegistryCatchUp catchUp;
    private final FailureLimiter failures;
    /** Refused keys and when they were refused (nanoTime); guarded by itself. */
    private final Map<String, Long> refused = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REFUSED_KEYS;
        }
    };

    @Inject
    public KeyAuthenticator(ProjectRegistry registry, RegistryCatchUp catchUp,
                            @ConfigProperty(name = "northstar.key-failures.burst", defaultValue = "30") int failureBurst,
                            @ConfigProperty(name = "northstar.key-failures.per-minute", defaultValue = "30") double failuresPerMinute) {
        this.registry = registry;
        this.catchUp = catchUp;
        this.failures = new FailureLimiter(failureBurst, failuresPerMinute);
    }

    /**
     * The project the key belongs to, or a failure with the {@link Refused} to answer (401, 429 or 503),
     * for a request from the client address {@code from}. Never blocks; completes within {@link #BROKER_WAIT}.
     */
    public Uni<String> project(String authorizationHeader, KeyRole role, String from) {
        String what = role == KeyRole.WRITE ? "write key" : "read key";
        Optional<String> key = BearerToken.from(authorizationHeader);
        if (key.isEmpty() || ProjectKeys.parse(key.get(), role).isEmpty()) {
            // Not the shape of a key of this role: it can never be one, whatever the topic holds.
            return Uni.createFrom().failure(refuse(what, from));
        }
        Optional<String> known = registry.authenticate(key.get(), role);
        if (known.isPresent()) {
            return Uni.createFrom().item(known.get());
        }
        Optional<Duration> wait = failures.waitFor(from);
        if (wait.isPresent()) {
            return Uni.createFrom().failure(Refused.rateLimited("Too many requests with unknown keys from this "
                    + "address; retry after " + wait.get().toSeconds() + " s", wait.get()));
        }
        if (refusedRecently(key.get())) {
            return Uni.createFrom().failure(refuse(what, from));
        }
        CompletableFuture<String> answer = catchUp.caughtUpWithin(BROKER_WAIT).thenCompose(loaded -> {
            // Looked up again: a key applied while the registry was being read is known now.
            Optional<String> now = registry.authenticate(key.get(), role);
            if (now.isPresent()) {
                return CompletableFuture.completedFuture(now.get());
            }
            if (!loaded) {
                throw Refused.unavailable("The project registry is still loading; retry shortly.", RETRY);
            }
            return catchUp.behindTopicEndNow()
                    .completeOnTimeout(true, BROKER_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(behind -> decide(key.get(), role, what, behind, from));
        });
        return Uni.createFrom().completionStage(answer)
                .onFailure(java.util.concurrent.CompletionException.class).transform(Throwable::getCause);
    }

    /**
     * The same, for request handlers on worker threads: waits for the answer (within {@link #BROKER_WAIT}
     * per question to the broker) and throws the {@link Refused} to answer.
     */
    public String projectOf(String authorizationHeader, KeyRole role, String from) {
        try {
            return project(authorizationHeader, role, from).await().atMost(BROKER_WAIT.multipliedBy(3));
        } catch (io.smallrye.mutiny.TimeoutException e) {
            throw Refused.unavailable("The key could not be checked in time; retry shortly.", RETRY);
        }
    }

    /** The answer for a key unknown at first, once it is known whether this instance is behind the topic's end. */
    private String decide(String key, KeyRole role, String what, boolean behind, String from) {
        var known = registry.authenticate(key, role);
        if (known.isPresent()) {
            return known.get();
        }
        if (behind) {
            // A key created on another instance a moment ago: known once this instance has read it.
            throw Refused.unavailable("This " + what + " is not known here yet (it may have just been created); "
                    + "retry shortly.", RETRY);
        }
        synchronized (refused) {
            refused.put(key, System.nanoTime());
        }
        throw refuse(what, from);
    }

    private boolean refusedRecently(String key) {
        synchronized (refused) {
            Long at = refused.get(key);
            if (at == null) {
                return false;
            }
            if (System.nanoTime() - at < REFUSED_FOR.toNanos()) {
                return true;
            }
            refused.remove(key);
            return false;
        }
    }

    private Refused refuse(String what, String from) {
        failures.failed(from);
        return Refused.notAuthenticated("A valid " + what + " is required: Authorization: Bearer <" + what + ">");
    }
}
