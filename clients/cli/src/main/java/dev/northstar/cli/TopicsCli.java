package dev.northstar.cli;

import dev.northstar.topics.TopicsCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** {@code northstar topics verify}: the cluster's topics against the catalogue, changing nothing. */
@Command(name = "topics", description = "Check the cluster's topics.", subcommands = TopicsCli.Verify.class)
final class TopicsCli {

    @Command(name = "verify", description = "Compare every topic with the catalogue (partitions, replicas, settings); "
            + "changes nothing. Kafka from KAFKA_BOOTSTRAP_SERVERS and the KAFKA_* security settings of an admin principal.")
    static final class Verify implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            var out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
            var err = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
            return TopicsCommand.run(new String[]{"verify"}, System.getenv(), out, err);
        }
    }

    /** A PrintStream over picocli's writers (so tests capture what the command prints). */
    private static final class WriterOutputStream extends java.io.OutputStream {
        private final java.io.PrintWriter writer;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        WriterOutputStream(java.io.PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void flush() {
            writer.print(line.toString(StandardCharsets.UTF_8));
            writer.flush();
            line.reset();
        }
    }
}
