package dev.northstar.kafka.local;

import kafka.tools.StorageTool;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Formats a KRaft log directory in-process (StorageTool's {@code main} would call exit). */
final class StorageFormatter {

    private StorageFormatter() {
    }

    static void format(BrokerConfig config) {
        var out = new ByteArrayOutputStream();
        int code;
        try (var print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            var args = new java.util.ArrayList<>(java.util.List.of("format", "--cluster-id", BrokerConfig.CLUSTER_ID,
                    "--config", config.writeProperties().toString(), "--ignore-formatted"));
            config.security().ifPresent(s -> args.addAll(java.util.List.of("--add-scram", s.scramFormatArgument())));
            code = StorageTool.execute(args.toArray(String[]::new), print);
        }
        if (code != 0) {
            throw new IllegalStateException("Formatting Kafka storage in " + config.logDir() + " failed: "
                    + out.toString(StandardCharsets.UTF_8));
        }
    }
}
