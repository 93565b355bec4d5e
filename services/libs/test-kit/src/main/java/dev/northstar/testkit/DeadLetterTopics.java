package dev.northstar.testkit;

import dev.northstar.model.snapshot.DeadLetter;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-ins for the dead-letter channel a service's {@code DeadLetters} sends to, for tests that build
 * a consumer's core without Quarkus: one that takes every letter at once, one that refuses or holds
 * them until told (the topic away: what a consumer may commit meanwhile).
 */
public final class DeadLetterTopics {

    private DeadLetterTopics() {
    }

    /** Acknowledges every letter at once, keeping it in {@code sent}. */
    public static Emitter<DeadLetter> collecting(List<DeadLetter> sent) {
        return new Base() {
            @Override
            public <M extends Message<? extends DeadLetter>> void send(M msg) {
                sent.add(msg.getPayload());
                msg.ack();
            }
        };
    }

    /** Refuses the first {@code refusals} sends (nack), then holds each letter until {@link #acknowledgeAll()}. */
    public static Holding holding(int refusals) {
        return new Holding(refusals);
    }

    public static final class Holding extends Base {
        private final AtomicInteger refusals;
        private final AtomicInteger sends = new AtomicInteger();
        private final Queue<Message<? extends DeadLetter>> held = new ConcurrentLinkedQueue<>();
        private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();

        private Holding(int refusals) {
            this.refusals = new AtomicInteger(refusals);
        }

        /** Sends attempted, refused ones included. */
        public int sends() {
            return sends.get();
        }

        /** Letters held, not acknowledged yet. */
        public int held() {
            return held.size();
        }

        /** The source offsets of the letters acknowledged so far. */
        public Set<Long> acknowledgedOffsets() {
            return acknowledged;
        }

        public void acknowledgeAll() {
            for (Message<? extends DeadLetter> m; (m = held.poll()) != null; ) {
                acknowledged.add(m.getPayload().sourceOffset());
                m.ack();
            }
        }

        @Override
        public <M extends Message<? extends DeadLetter>> void send(M msg) {
            sends.incrementAndGet();
            if (refusals.getAndDecrement() > 0) {
                msg.nack(new IllegalStateException("not enough replicas"));
            } else {
                held.add(msg);
            }
        }
    }

    private abstract static class Base implements Emitter<DeadLetter> {
        @Override
        public CompletionStage<Void> send(DeadLetter payload) {
            var done = new CompletableFuture<Void>();
            send(Message.of(payload, () -> {
                done.complete(null);
                return CompletableFuture.completedFuture(null);
            }));
            return done;
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }
}
