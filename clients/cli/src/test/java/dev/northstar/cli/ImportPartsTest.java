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
        int read;
        while ((read = EventsCommand.Import.readLine(in, buffer)) >= 0) {
            consumed += read;
            lines.add(buffer.toString(StandardCharsets.UTF_8));
        }
        assertThat(lines).containsExactly("a\r", "{\"b\":1}", "", "last");
        assertThat(consumed).isEqualTo(file.length);
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
