package dev.northstar.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.northstar.model.json.NorthstarJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where an import of a file got to, next to the file ({@code FILE.northstar-import}): the lines
 * (and bytes) every event of which ingest has answered for. Written after each chunk, atomically; an
 * import of the same file to the same project starts after it. The events keep the ids they were
 * given (their own, or one made from the project, line number and line), so a chunk sent again after
 * a crash is deduplicated by Northstar, never counted twice.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ImportState(String project, long fileSize, long lines, long bytes, long sent, long invalid, long rejected,
                   boolean complete) {

    static Path pathFor(Path file) {
        return file.resolveSibling(file.getFileName() + ".northstar-import");
    }

    static Optional<ImportState> read(Path file) {
        Path path = pathFor(file);
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(NorthstarJson.mapper().readValue(Files.readAllBytes(path), ImportState.class));
        } catch (IOException e) {
            return Optional.empty();   // unreadable: start over (ids make that safe)
        }
    }

    void write(Path file) {
        Path path = pathFor(file);
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Files.write(tmp, NorthstarJson.mapper().writeValueAsBytes(this));
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }
}
