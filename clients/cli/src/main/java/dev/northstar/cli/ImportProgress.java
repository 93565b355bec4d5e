package dev.northstar.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The import's progress on stderr: a bar with the share of the file read, events sent, the rate and
 * the time left, redrawn in place on a terminal, one line every 5 s otherwise (logs, CI).
 */
final class ImportProgress {

    private final PrintWriter err;
    private final long totalBytes;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastNanos;

    ImportProgress(PrintWriter err, long totalBytes, boolean terminal) {
        this.err = err;
        this.totalBytes = Math.max(1, totalBytes);
        this.terminal = terminal;
    }

    void update(long bytesRead, long startBytes, long events, boolean force) {
        long now = System.nanoTime();
        long every = terminal ? 250_000_000L : 5_000_000_000L;
        if (!force && now - lastNanos < every) {
            return;
        }
        lastNanos = now;
        err.print((terminal ? "\r" : "") + line(bytesRead, startBytes, events, (now - startNanos) / 1e9)
                + (terminal ? "" : System.lineSeparator()));
        err.flush();
    }

    void done() {
        if (terminal) {
            err.println();
        }
    }

    /** {@code [##########..........]  50%  500,000 events  61,234 events/s  ETA 8 s}. */
    String line(long bytesRead, long startBytes, long events, double seconds) {
        double share = Math.min(1, (double) bytesRead / totalBytes);
        int filled = (int) Math.round(share * 30);
        double rate = seconds > 0 ? events / seconds : 0;
        double byteRate = seconds > 0 ? (bytesRead - startBytes) / seconds : 0;
        String eta = byteRate > 0 ? eta((totalBytes - bytesRead) / byteRate) : "?";
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %,d events  %,.0f events/s  ETA %s",
                "#".repeat(filled), ".".repeat(30 - filled), Math.round(share * 100), events, rate, eta);
    }

    static String eta(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
