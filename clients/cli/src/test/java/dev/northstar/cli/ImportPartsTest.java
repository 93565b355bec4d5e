package dev.northstar.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ImportPartsTest {

    @Test
    void linesAreReadWithTheBytesTheyTakeSoThatAnImportCanResumeAtAByteOffset() throws Exception {
        byte[] file = "a\r\n{\"b\":1}\n\nlast".getBytes(StandardCharsets.UTF_8);
        var in = new ByteArrayInputStream(file);
        var buffer = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        long consumed = 0;
        var digest = ImportState.sha256();
        long read;
        while ((read = EventsCommand.Import.readLine(in, buffer, EventsCommand.Import.MAX_LINE_BYTES, digest)) >= 0) {
            consumed += read;
            lines.add(buffer.toString(StandardCharsets.UTF_8));
        }
        assertThat(lines).containsExactly("a\r", "{\"b\":1}", "", "last");
        assertThat(consumed).isEqualTo(file.length);
        assertThat(ImportState.hex(digest)).as("the digest of every byte read, in order")
                .isEqualTo(java.util.HexFormat.of().formatHex(ImportState.sha256().digest(file)));
    }

    /** A line over the limit is consumed whole, kept only up to the limit (and so known to be too long). */
    @Test
    void aLineOverTheLimitIsSkippedWholeAndTheNextLineIsReadAsUsual() throws Exception {
        int limit = 1 << 20;
        byte[] longLine = new byte[limit + 10];
        java.util.Arrays.fill(longLine, (byte) 'x');
        var file = new ByteArrayOutputStream();
        file.write(longLine);
        file.write("\n{\"ok\":1}\n".getBytes(StandardCharsets.UTF_8));
        var in = new ByteArrayInputStream(file.toByteArray());
        var buffer = new ByteArrayOutputStream();
        var digest = ImportState.sha256();

        assertThat(EventsCommand.Import.readLine(in, buffer, limit, digest)).isEqualTo(limit + 11);
        assertThat(buffer.size()).as("too long: more than the limit kept, not all").isEqualTo(limit + 1);
        assertThat(EventsCommand.Import.readLine(in, buffer, limit, digest)).isEqualTo(9);
        assertThat(buffer.toString(StandardCharsets.UTF_8)).isEqualTo("{\"ok\":1}");
        assertThat(EventsCommand.Import.readLine(in, buffer, limit, digest)).isEqualTo(-1);
        assertThat(ImportState.hex(digest)).isEqualTo(java.util.HexFormat.of().formatHex(
                ImportState.sha256().digest(file.toByteArray())));
    }

    /**
     * An import goes on only where the file still starts with what was sent: lines appended since are
     * imported then, and a file changed in the part sent starts over, even at the same size (resuming was
     * decided by the file's size, so an edited file of the same size resumed mid-way, or was taken as
     * imported already).
     */
    @Test
    void anImportResumesOnlyWhereTheFileStillStartsWithTheBytesItSent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var file = dir.resolve("history.ndjson");
        java.nio.file.Files.writeString(file, "{\"a\":1}\n{\"a\":2}\n");
        var digest = ImportState.sha256();
        digest.update(java.nio.file.Files.readAllBytes(file));
        var state = new ImportState("shop", 16, 2, 16, 2, 0, 0, true, ImportState.hex(digest));

        assertThat(state.matchesPrefixOf(file, ImportState.sha256())).isTrue();
        java.nio.file.Files.writeString(file, "{\"a\":3}\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(state.matchesPrefixOf(file, ImportState.sha256())).as("lines appended: go on after them").isTrue();
        java.nio.file.Files.writeString(file, "{\"a\":9}\n{\"a\":2}\n");
        assertThat(java.nio.file.Files.size(file)).isEqualTo(16);
        assertThat(state.matchesPrefixOf(file, ImportState.sha256())).as("same size, other content: start over")
                .isFalse();
        assertThat(new ImportState("shop", 16, 2, 16, 2, 0, 0, true, null).matchesPrefixOf(file, ImportState.sha256()))
                .as("a state without its digest (an older version's) is not resumed").isFalse();
    }

    @Test
    void progressShowsTheShareTheRateAndTheTimeLeft() {
        var progress = new ImportProgress(new PrintWriter(new StringWriter()), 1_000, false);
        assertThat(progress.line(500, 0, 50_000, 2.0))
                .isEqualTo("[###############...............]  50%  50,000 events  25,000 events/s  ETA 2 s");
        assertThat(progress.line(0, 0, 0, 0)).endsWith("ETA ?");
        assertThat(ImportProgress.eta(3_725)).isEqualTo("1 h 2 min");
        assertThat(ImportProgress.eta(125)).isEqualTo("2 min 5 s");
    }
}
