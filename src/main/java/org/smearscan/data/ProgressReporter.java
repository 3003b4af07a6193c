package org.smearscan.data;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long task: a progress bar on a terminal, a plain line every 10% otherwise (a bar's
 * carriage returns make a log file unreadable). Thread-safe; close it when the task ends.
 */
public abstract class ProgressReporter implements AutoCloseable {

    /** Advances by {@code n} units. */
    public abstract void step(long n);

    /** Sets the progress to {@code done} units (used when resuming part-way). */
    public abstract void stepTo(long done);

    @Override
    public abstract void close();

    /** A bar when stderr is a terminal, else log lines on stderr. {@code unit} names what is counted. */
    public static ProgressReporter start(String task, long total, String unit, long unitSize) {
        if (System.console() != null) {
            return new Bar(task, total, unit, unitSize);
        }
        return new Lines(task, total, unit, unitSize, System.err);
    }

    /** Reports nothing, for tests and callers that show their own progress. */
    public static ProgressReporter silent() {
        return new ProgressReporter() {
            @Override
            public void step(long n) {}

            @Override
            public void stepTo(long done) {}

            @Override
            public void close() {}
        };
    }

    private static final class Bar extends ProgressReporter {
        private final ProgressBar bar;

        Bar(String task, long total, String unit, long unitSize) {
            this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                    .setUnit(" " + unit, Math.max(unitSize, 1)).build();
        }

        @Override
        public void step(long n) {
            bar.stepBy(n);
        }

        @Override
        public void stepTo(long done) {
            bar.stepTo(done);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** One line at each tenth of the way, plus one at the end. */
    static final class Lines extends ProgressReporter {
        private final String task;
        private final long total;
        private final String unit;
        private final long unitSize;
        private final PrintStream out;
        private final long startNanos = System.nanoTime();
        private long done;
        private int reportedTenths;
        private boolean closed;

        Lines(String task, long total, String unit, long unitSize, PrintStream out) {
            this.task = task;
            this.total = Math.max(total, 1);
            this.unit = unit;
            this.unitSize = Math.max(unitSize, 1);
            this.out = out;
        }

        @Override
        public synchronized void step(long n) {
            stepTo(done + n);
        }

        @Override
        public synchronized void stepTo(long value) {
            done = value;
            int tenths = (int) Math.min(10, done * 10 / total);
            if (tenths > reportedTenths && tenths < 10) {
                reportedTenths = tenths;
                print();
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                print();
            }
        }

        private void print() {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            out.printf("%s: %d/%d %s (%d%%) in %.0f s%n", task, done / unitSize, total / unitSize, unit,
                    done * 100 / total, seconds);
            out.flush();
        }
    }
}
