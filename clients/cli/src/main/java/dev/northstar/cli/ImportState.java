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
 * (and bytes) every event of which ingest has answered for, and the SHA-256 of those bytes. Written after
 * each chunk, atomically; an import of the same file to the same project goes on after them only when the
 * file still starts with exactly those bytes (lines appended since are imported then; a file changed in
 * what was sent starts over). The events keep the ids they were given (their own, or one made from the
 * project, line number and line), so a chunk sent again after a crash is deduplicated by Northstar, never
 * counted twice.
 *
 * @param fileSize     the file's size when the state was written (shown, not compared)
 * @param prefixSha256 the SHA-256 (hex) of the file's first {@code bytes} bytes; null in states written before
 *                     it was kept (such a state is not resumed: the import starts over, safely)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ImportState(String project, long fileSize, long lines, long bytes, long sent, long invalid, long rejected,
                   boolean complete, String prefixSha256) {

    /** SHA-256, as the states keep it. */
    static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String hex(java.security.MessageDigest digest) {
        try {
            return java.util.HexFormat.of().formatHex(((java.security.MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests clone", e);
        }
    }

    /**
     * Whether {@code file} still starts with the bytes this state says were processed, read into
     * {@code digest} (which then holds them, for the import to go on with).
     */
    boolean matchesPrefixOf(Path file, java.security.MessageDigest digest) throws IOException {
        if (prefixSha256 == null || Files.size(file) < bytes) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            long left = bytes;
            while (left > 0) {
                int read = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (read < 0) {
                    return false;
                }
                digest.update(chunk, 0, read);
                left -= read;
            }
        }
        return hex(digest).equals(prefixSha256);
    }

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
