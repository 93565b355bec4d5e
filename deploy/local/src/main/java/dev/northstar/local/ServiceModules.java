package dev.northstar.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The services of a checkout, found where the build finds them, so that no list of services is kept
 * by hand: a service is a directory {@code services/<name>} with a Quarkus
 * {@code src/main/resources/application.properties} (the libraries live in {@code services/libs}).
 * Its default port is the one its configuration gives ({@code ${NORTHSTAR_<NAME>_PORT:<port>}});
 * a signal service is one built on the signal engine.
 */
public final class ServiceModules {

    private static final Pattern PORT = Pattern.compile("(?m)^quarkus\\.http\\.port=\\$\\{NORTHSTAR_([A-Z0-9_]+)_PORT:(\\d+)}\\s*$");
    private static final String ENGINE = "<artifactId>signal-engine</artifactId>";

    private ServiceModules() {
    }

    /** Every service's name, by default port (the query API on 8080 first, as the brief numbers them). */
    public static List<String> all(Path repoRoot) {
        return List.copyOf(defaultPorts(repoRoot).keySet());
    }

    /** The services built on the signal engine (they consume the events topic and keep state). */
    public static List<String> signalServices(Path repoRoot) {
        return all(repoRoot).stream().filter(s -> read(module(repoRoot, s).resolve("pom.xml")).contains(ENGINE)).toList();
    }

    /** Every service with the port its configuration gives by default, in port order. */
    public static Map<String, Integer> defaultPorts(Path repoRoot) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(repoRoot.resolve("services"))) {
            dirs.filter(dir -> Files.isRegularFile(configuration(dir)))
                    .map(dir -> Map.entry(dir.getFileName().toString(), port(dir)))
                    .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                    .forEach(e -> ports.put(e.getKey(), e.getValue()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (ports.isEmpty()) {
            throw new IllegalStateException("No services under " + repoRoot.resolve("services"));
        }
        return ports;
    }

    /** The directory of a service's module. */
    public static Path module(Path repoRoot, String service) {
        return repoRoot.resolve("services").resolve(service);
    }

    private static Path configuration(Path module) {
        return module.resolve("src/main/resources/application.properties");
    }

    private static int port(Path module) {
        String name = module.getFileName().toString();
        Matcher m = PORT.matcher(read(configuration(module)));
        if (!m.find() || !m.group(1).equals(name.toUpperCase(Locale.ROOT).replace('-', '_'))) {
            throw new IllegalStateException(configuration(module) + " must set quarkus.http.port=${NORTHSTAR_"
                    + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_PORT:<default port>}");
        }
        return Integer.parseInt(m.group(2));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
