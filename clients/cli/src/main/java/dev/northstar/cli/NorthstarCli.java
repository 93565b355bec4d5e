package dev.northstar.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code northstar}: the operator's command line.
 * <pre>
 * northstar projects create shop --name "Shop"      # prints the keys, once
 * northstar projects rotate shop | projects list
 * northstar events import history.ndjson --project shop --write-key nsw_...
 * northstar dead-letters list --reason invalid --since P1D
 * northstar dead-letters redrive --reason handler-error --dry-run
 * northstar topics verify                            # the cluster against the catalogue
 * </pre>
 * Where things are: {@code --ingest} (or {@code NORTHSTAR_INGEST_URL}, default http://localhost:8081),
 * the admin token {@code NORTHSTAR_ADMIN_TOKEN}, the write key {@code NORTHSTAR_WRITE_KEY}, Kafka's
 * {@code KAFKA_*} settings as the services read them. Exit status: 0 done, 1 done with refusals or
 * problems (listed), 2 usage or configuration error, 3 a service could not be reached.
 */
@Command(name = "northstar", mixinStandardHelpOptions = true, version = "northstar 0.1.0",
        description = "Operate Northstar: projects, event imports, dead letters, topics.",
        subcommands = {ProjectsCommand.class, EventsCommand.class, DeadLettersCommand.class, TopicsCli.class,
                CommandLine.HelpCommand.class})
public final class NorthstarCli {

    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its exit codes (tests run it in-process). */
    public static CommandLine commandLine() {
        return new CommandLine(new NorthstarCli()).setExitCodeExceptionMapper(e -> USAGE)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("northstar: " + e.getMessage());
                    return e instanceof java.io.UncheckedIOException || e instanceof java.net.ConnectException
                            ? UNREACHABLE : USAGE;
                });
    }
}
