package dev.northstar.cli;

import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.snapshot.DeadLetter;
import dev.northstar.model.snapshot.Redrive;
import dev.northstar.model.topic.Topics;
import dev.northstar.topics.TopicsCommand;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code northstar dead-letters list|show|redrive}: what the services could not process, and sending it
 * back once the cause is fixed. Kafka from {@code KAFKA_BOOTSTRAP_SERVERS} and the {@code KAFKA_*}
 * settings of an admin principal. A re-drive writes a marker on {@code northstar.dead-letter-redrives.v1},
 * then the record back to its source topic with its key: each source record is re-driven at most once,
 * whichever of its dead letters (one per service that refused it) is chosen. Not in a Kafka transaction:
 * the signal engine reads the events topic's offsets as consecutive records, and a transaction's commit
 * marker would be a gap it stops at (noted in the closing note of issue 19).
 */
@Command(name = "dead-letters", description = "List, show and re-drive dead letters.",
        subcommands = {DeadLettersCommand.ListLetters.class, DeadLettersCommand.Show.class, DeadLettersCommand.Redrive.class})
final class DeadLettersCommand {

    /** One dead letter and where it is. */
    record Letter(int partition, long offset, String key, DeadLetter letter) {
        String id() {
            return partition + ":" + offset;
        }

        String source() {
            return letter.sourceTopic() + "/" + letter.sourcePartition() + "/" + letter.sourceOffset();
        }
    }

    /** Which dead letters: by reason, since a time, by service. */
    static final class Filter {
        @Option(names = "--reason", description = "reasons containing this (unparseable, invalid, handler-error, or words of the detail)")
        String reason;
        @Option(names = "--since", description = "dead-lettered at or after this: an instant (2026-11-28T10:00:00Z) or a "
                + "duration back from now (PT2H, P1D)")
        String since;
        @Option(names = "--service", description = "dead-lettered by this service")
        String service;

        boolean matches(Letter l) {
            return (reason == null || l.letter().reason().toLowerCase(Locale.ROOT).contains(reason.toLowerCase(Locale.ROOT)))
                    && (service == null || service.equals(l.letter().service()))
                    && (since == null || !l.letter().at().isBefore(sinceInstant()));
        }

        Instant sinceInstant() {
            try {
                return since.startsWith("P") ? Instant.now().minus(Duration.parse(since)) : Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--since: '" + since + "' is neither an instant (2026-11-28T10:00:00Z) "
                        + "nor a duration (PT2H, P1D)");
            }
        }
    }

    static Map<String, Object> kafka() {
        Map<String, Object> client = TopicsCommand.clientSettings(System.getenv());
        if (!client.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("set KAFKA_BOOTSTRAP_SERVERS (and the KAFKA_* settings of an admin principal)");
        }
        return client;
    }

    /** Every record of a topic as it is now (committed records only), in partition and offset order. */
    static List<ConsumerRecord<String, byte[]>> readAll(Map<String, Object> client, String topic) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    static List<Letter> letters(Map<String, Object> client, java.io.PrintWriter err) {
        List<Letter> letters = new ArrayList<>();
        for (var record : readAll(client, Topics.DEAD_LETTER.name())) {
            try {
                letters.add(new Letter(record.partition(), record.offset(), record.key(),
                        NorthstarJson.mapper().readValue(record.value(), DeadLetter.class)));
            } catch (IOException | RuntimeException e) {
                err.println("northstar: dead letter " + record.partition() + ":" + record.offset() + " cannot be read; skipped");
            }
        }
        return letters;
    }

    static Set<String> redriven(Map<String, Object> client) {
        Set<String> done = new HashSet<>();
        for (var record : readAll(client, Topics.REDRIVES.name())) {
            if (record.value() == null) {
                done.remove(record.key());
            } else {
                done.add(record.key());
            }
        }
        return done;
    }

    @Command(name = "list", description = "Dead letters, oldest first: where, when, which service, the source record, why.")
    static final class ListLetters implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Filter filter;

        @Override
        public Integer call() {
            var client = kafka();
            var out = spec.commandLine().getOut();
            Set<String> redriven = redriven(client);
            int shown = 0;
            out.printf("%-12s %-24s %-10s %-40s %-9s %s%n", "DEAD LETTER", "AT", "SERVICE", "SOURCE", "REDRIVEN", "REASON");
            for (Letter l : letters(client, spec.commandLine().getErr())) {
                if (filter.matches(l)) {
                    shown++;
                    out.printf("%-12s %-24s %-10s %-40s %-9s %s%n", l.id(), l.letter().at(), l.letter().service(),
                            l.source(), redriven.contains(l.source()) ? "yes" : "no", l.letter().reason());
                }
            }
            out.println(shown + " dead letter(s)");
            return NorthstarCli.OK;
        }
    }

    @Command(name = "show", description = "One dead letter in full, its payload as text.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "PARTITION:OFFSET", description = "as list shows it")
        String id;

        @Override
        public Integer call() throws Exception {
            for (Letter l : letters(kafka(), spec.commandLine().getErr())) {
                if (l.id().equals(id)) {
                    Map<String, Object> shown = new LinkedHashMap<>();
                    shown.put("deadLetter", l.id());
                    shown.put("key", l.key());
                    shown.put("source", l.source());
                    shown.put("service", l.letter().service());
                    shown.put("at", l.letter().at().toString());
                    shown.put("reason", l.letter().reason());
                    shown.put("payload", l.letter().payloadBase64() ? "(Base64) " + l.letter().payload() : l.letter().payload());
                    spec.commandLine().getOut().println(NorthstarJson.mapper().writerWithDefaultPrettyPrinter()
                            .writeValueAsString(shown));
                    return NorthstarCli.OK;
                }
            }
            spec.commandLine().getErr().println("northstar: no dead letter " + id + " (list shows them as PARTITION:OFFSET)");
            return NorthstarCli.REFUSED;
        }
    }

    @Command(name = "redrive", description = "Write the records of the chosen dead letters back to their source topics, "
            + "once each: a record re-driven before is skipped. Only to the events and snapshot topics, only records "
            + "their readers accept under the key their body implies; the others are refused, listed with the reason. "
            + "--dry-run shows what would go.")
    static final class Redrive implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Filter filter;
        @Option(names = "--dry-run", description = "only show what would be re-driven")
        boolean dryRun;

        @Override
        public Integer call() {
            if (filter.reason == null && filter.since == null && filter.service == null) {
                spec.commandLine().getErr().println("northstar: choose the dead letters: --reason, --since and/or --service");
                return NorthstarCli.USAGE;
            }
            var client = kafka();
            var out = spec.commandLine().getOut();
            Map<String, Object> config = new HashMap<>(client);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
                Set<String> done = redriven(client);
                Set<String> chosen = new HashSet<>();
                List<String> refused = new ArrayList<>();
                int skipped = 0;
                int sent = 0;
                for (Letter l : letters(client, spec.commandLine().getErr())) {
                    if (!filter.matches(l)) {
                        continue;
                    }
                    if (done.contains(l.source()) || !chosen.add(l.source())) {
                        skipped++;
                        continue;
                    }
                    byte[] payload = l.letter().payload() == null ? null : l.letter().payloadBase64()
                            ? Base64.getDecoder().decode(l.letter().payload())
                            : l.letter().payload().getBytes(StandardCharsets.UTF_8);
                    var refusal = RedriveRules.refusal(l.letter().sourceTopic(), l.key(), payload);
                    if (refusal.isPresent()) {
                        refused.add("  " + l.id() + " -> " + l.source() + ": " + refusal.get());
                        continue;
                    }
                    out.printf("%s %s -> %s (%s)%n", dryRun ? "would re-drive" : "re-drive", l.id(), l.source(),
                            l.letter().reason());
                    if (dryRun) {
                        continue;
                    }
                    var marker = new dev.northstar.model.snapshot.Redrive(l.letter().sourceTopic(),
                            l.letter().sourcePartition(), l.letter().sourceOffset(), l.partition(), l.offset(),
                            l.letter().reason(), Instant.now());
                    try {
                        // The marker first: once it is written the record is never re-driven again (at most once).
                        producer.send(new ProducerRecord<>(Topics.REDRIVES.name(), l.source(),
                                NorthstarJson.mapper().writeValueAsBytes(marker))).get();
                        var record = new ProducerRecord<>(l.letter().sourceTopic(), l.key(), payload);
                        record.headers().add("northstar.redriven-from", l.id().getBytes(StandardCharsets.UTF_8));
                        producer.send(record).get();
                        sent++;
                    } catch (IOException | java.util.concurrent.ExecutionException e) {
                        throw new IllegalStateException("re-driving " + l.id() + " failed: " + e.getMessage()
                                + " (if its marker was written, 'list' shows it re-driven: check its source topic)", e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    }
                }
                out.printf("%s %d dead letter(s); %d skipped (re-driven before, or another dead letter of the same record)%n",
                        dryRun ? "would re-drive" : "re-drove", dryRun ? chosen.size() - refused.size() : sent, skipped);
                if (!refused.isEmpty()) {
                    out.printf("refused %d dead letter(s), nothing written for them:%n", refused.size());
                    refused.forEach(out::println);
                    return NorthstarCli.REFUSED;
                }
            }
            return NorthstarCli.OK;
        }
    }
}
