package io.servletsse.cli;

import java.io.PrintStream;

/**
 * A one-line progress meter on stderr (files and bytes done), redrawn at most a few times a second
 * so that it costs nothing on fast runs. Never on stdout: stdout is the report.
 */
class Progress {
    static final Progress OFF = new Progress(null, 0, 0);
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final long totalFiles;
    private final long totalBytes;
    private long files;
    private long bytes;
    private long lastDraw;

    Progress(PrintStream err, long totalFiles, long totalBytes) {
        this.err = err;
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
    }

    void bytes(long n) {
        bytes += n;
        draw(false);
    }

    void fileDone() {
        files++;
        draw(false);
    }

    void finish() {
        if (err != null) {
            draw(true);
            err.println();
            err.flush();
        }
    }

    private void draw(boolean force) {
        if (err == null) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double done = totalBytes > 0 ? Math.min(1.0, (double) bytes / totalBytes)
                : totalFiles > 0 ? (double) files / totalFiles : 1.0;
        int filled = (int) Math.round(done * WIDTH);
        err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                + String.format("%3d%% %d/%d files %s", Math.round(done * 100), files, totalFiles, Sizes.human(bytes)));
        err.flush();
    }
}
