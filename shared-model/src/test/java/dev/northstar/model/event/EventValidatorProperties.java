package dev.northstar.model.event;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.topic.Topics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the event validator over generated input: whatever it accepts from a producer, every
 * consumer can count (the record key stays the body's project and actor through UTF-8, and both readers of
 * the events topic accept the stored record); and no timestamp or {@code sentAt} pair makes it throw (a
 * throw there was a 500 for the whole batch).
 */
class EventValidatorProperties {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final EventValidator VALIDATOR = new EventValidator(Clock.fixed(NOW, ZoneOffset.UTC));
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A generated producer event: its JSON, and the type it claims. */
    record Generated(ObjectNode json, EventType type) {
    }

    @Provide
    Arbitrary<String> hostileText() {
        Arbitrary<String> emoji = Arbitraries.of("😀", "👩‍👩‍👧", "🏳️‍🌈", "🇯🇵", "👍🏽", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢");
        Arbitrary<String> combining = Arbitraries.chars().range('\u0300', '\u036F').map(c -> "e" + c + c);
        Arbitrary<String> rtl = Arbitraries.strings().withCharRange('\u0590', '\u06FF').ofMinLength(1).ofMaxLength(6)
                .map(s -> "\u202E" + s + "\u202C");
        Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(8);
        // Any single UTF-16 unit: lone surrogates, noncharacters, controls, NUL.
        Arbitrary<String> anyUnit = Arbitraries.integers().between(0, 0xFFFF).map(i -> String.valueOf((char) i.intValue()));
        Arbitrary<String> loneSurrogate = Arbitraries.integers().between(0xD800, 0xDFFF)
                .map(i -> String.valueOf((char) i.intValue()));
        Arbitrary<String> piece = Arbitraries.frequencyOf(Tuple.of(3, emoji), Tuple.of(2, combining), Tuple.of(2, rtl),
                Tuple.of(3, ascii), Tuple.of(1, anyUnit), Tuple.of(1, loneSurrogate));
        Arbitrary<String> mixed = piece.list().ofMinSize(1).ofMaxSize(12).map(parts -> String.join("", parts));
        // At the limit: 128 code points of astral characters (256 UTF-16 units).
        Arbitrary<String> longest = Arbitraries.of("😀", "𝔘", "👍").list().ofSize(EventValidator.MAX_ACTOR_LENGTH)
                .map(parts -> String.join("", parts));
        return Arbitraries.frequencyOf(Tuple.of(8, mixed), Tuple.of(1, longest));
    }

    @Provide
    Arbitrary<Generated> events() {
        Arbitrary<EventType> types = Arbitraries.of(EventType.class);
        Arbitrary<String> ids = Arbitraries.strings().withChars("ABCxyz0189._:-").ofMinLength(1).ofMaxLength(64);
        Arbitrary<String> slugs = Arbitraries.strings().withChars("abz09._-").ofMinLength(0).ofMaxLength(20)
                .map(s -> "f" + s);
        Arbitrary<Optional<String>> actors = hostileText().optional(0.8);
        Arbitrary<Map<String, String>> properties = Arbitraries.maps(hostileText(), hostileText()).ofMaxSize(3);
        return Combinators.combine(types, ids, actors, actors, slugs, hostileText(), properties)
                .as((type, id, user, anonymous, slug, text, props) -> {
                    ObjectNode event = JSON.objectNode().put("eventId", id).put("type", type.wireName())
                            .put("occurredAt", NOW.minusSeconds(3600).toString());
                    user.ifPresent(u -> event.put("userId", u));
                    anonymous.ifPresent(a -> event.put("anonymousId", a));
                    if (user.isEmpty() && anonymous.isEmpty()) {
                        event.put("userId", text);
                    }
                    if (type == EventType.USER_IDENTIFIED) {
                        event.put("userId", user.orElse(text)).put("anonymousId", anonymous.orElse(text) + "-anon");
                    }
                    if (type.requiresFeature()) {
                        event.put("feature", slug);
                    }
                    switch (type) {
                        case FEATURE_FAILED -> event.put("errorCode", text);
                        case FEEDBACK_GIVEN -> event.put("rating", 1 + Math.floorMod(text.hashCode(), 5)).put("comment", text);
                        case FUNNEL_STEP -> event.put("funnel", slug).put("step", 1 + Math.floorMod(id.hashCode(), 50));
                        default -> { }
                    }
                    ObjectNode bag = event.putObject("properties");
                    props.forEach(bag::put);
                    return new Generated(event, type);
                });
    }

    @Property(tries = 2000)
    void whateverIngestAcceptsEveryConsumerCanCount(@ForAll("events") Generated generated) throws Exception {
        var outcome = VALIDATOR.validate(generated.json(), "events[0]",
                new EventValidator.Context("acme", NOW, Optional.empty()));
        if (!(outcome instanceof EventValidator.Valid valid)) {
            return; // refused, with its reason: nothing stored
        }
        ProductEvent event = valid.event();
        // The record as ingest writes it (StringSerializer for the key, the shared mapper for the value) ...
        String key = Topics.eventKey(event.projectId(), event.keyActor());
        String keyRead = new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        byte[] value = NorthstarJson.mapper().writeValueAsBytes(event);
        var stored = NorthstarJson.mapper().readTree(value);
        // ... keeps the body's project and actor in its key ...
        assertThat(keyRead).as("the stored key").isEqualTo(key);
        assertThat(Topics.projectOfKey(keyRead)).isEqualTo("acme");
        // ... and both readers of the events topic accept it as the same event.
        var read = new StoredEventReader().read(stored, keyRead, NOW);
        assertThat(read).as("the consumers' reader").isInstanceOf(EventValidator.Valid.class);
        ProductEvent counted = ((EventValidator.Valid) read).event();
        assertThat(counted.eventId()).isEqualTo(event.eventId());
        assertThat(counted.userId()).isEqualTo(event.userId());
        assertThat(counted.anonymousId()).isEqualTo(event.anonymousId());
        assertThat(counted.comment()).isEqualTo(event.comment());
        assertThat(counted.errorCode()).isEqualTo(event.errorCode());
        assertThat(VALIDATOR.validateStored(stored, keyRead, NOW)).as("the full validator on the stored record")
                .isInstanceOf(EventValidator.Valid.class);
    }

    @Provide
    Arbitrary<Instant> anyInstant() {
        Arbitrary<Instant> anywhere = Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
                .map(Instant::ofEpochSecond);
        Arbitrary<Instant> near = Arbitraries.longs().between(-5L * 365 * 86400, 5L * 365 * 86400).map(NOW::plusSeconds);
        Arbitrary<Instant> edges = Arbitraries.of(Instant.MIN, Instant.MAX, EventValidator.EARLIEST,
                EventValidator.EARLIEST.minusNanos(1), EventValidator.LATEST, EventValidator.LATEST.minusNanos(1),
                Instant.parse("0001-01-01T00:00:00Z"), NOW.plus(EventValidator.MAX_FUTURE_SKEW).plusSeconds(1));
        return Arbitraries.frequencyOf(Tuple.of(3, anywhere), Tuple.of(3, near), Tuple.of(2, edges));
    }

    @Property(tries = 3000)
    void noOccurredAtOrSentAtPairMakesTheValidatorThrow(@ForAll("anyInstant") Instant occurredAt,
                                                         @ForAll("anyInstant") Instant sentAt,
                                                         @ForAll boolean withSentAt) {
        Optional<Instant> sent = Optional.empty();
        if (withSentAt) {
            try {
                sent = Optional.of(EventValidator.parseInstant(sentAt.toString(), "sentAt")); // as ingest reads a batch
            } catch (EventValidator.IllegalTimestamp refused) {
                // Out of range, or beyond what an ISO-8601 offset date-time can say (Instant.MIN's year).
                assertThat(refused.getMessage()).startsWith("sentAt: must be ");
                assertThat(sentAt).matches(t -> t.isBefore(EventValidator.EARLIEST) || !t.isBefore(EventValidator.LATEST));
                return; // the batch is answered 400 naming sentAt
            }
        }
        ObjectNode event = JSON.objectNode().put("eventId", "e-1").put("type", "feature_used").put("userId", "u-1")
                .put("feature", "export").put("occurredAt", occurredAt.toString());

        var outcome = VALIDATOR.validate(event, "events[0]", new EventValidator.Context("acme", NOW, sent));

        if (outcome instanceof EventValidator.Valid valid) {
            assertThat(occurredAt).isBetween(EventValidator.EARLIEST, EventValidator.LATEST);
            assertThat(valid.event().occurredAt()).isBetween(EventValidator.EARLIEST, NOW.plus(EventValidator.MAX_FUTURE_SKEW));
        } else {
            assertThat(((EventValidator.Invalid) outcome).error()).startsWith("events[0].occurredAt: ");
        }
    }

    @Property(tries = 200)
    void aLoneSurrogateIsRefusedNamingItsField(@ForAll("surrogate") char surrogate) {
        ObjectNode event = JSON.objectNode().put("eventId", "e-1").put("type", "feature_used")
                .put("userId", "a" + surrogate).put("feature", "export").put("occurredAt", NOW.toString());

        var outcome = VALIDATOR.validate(event, "events[0]", new EventValidator.Context("acme", NOW, Optional.empty()));

        assertThat(outcome).isInstanceOf(EventValidator.Invalid.class);
        assertThat(((EventValidator.Invalid) outcome).error()).startsWith("events[0].userId: must be valid Unicode text");
    }

    @Provide
    Arbitrary<Character> surrogate() {
        return Arbitraries.integers().between(0xD800, 0xDFFF).map(i -> (char) i.intValue());
    }
}
