package org.smearscan.data;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long task: a progress bar on a terminal, plain lines at fixed fractions of the way
 * otherwise (a bar's carriage returns make a log file unreadable). Thread-safe; close it when the task
 * ends. The one console progress implementation: downloads, caching and scoring use {@link #start}, and
 * training's per-epoch display configures one through {@link #builder}.
 */
public abstract class ProgressReporter implements AutoCloseable {

    /** Advances by {@code n} units. */
    public abstract void step(long n);

    /** Sets the progress to {@code done} units (used when resuming part-way). */
    public abstract void stepTo(long done);

    /** Text shown after the bar, e.g. a running loss; plain lines say what their {@link LineFormat} says. */
    public void message(String text) {}

    /** Whether this reporter draws a bar (so a {@link #message} is seen). */
    public boolean isBar() {
        return false;
    }

    @Override
    public abstract void close();

    /** A bar when the console is a terminal, else log lines on stderr. {@code unit} names what is counted. */
    public static ProgressReporter start(String task, long total, String unit, long unitSize) {
        return builder(task, total).unit(unit, unitSize).auto();
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

    /** What a plain progress line says (without its line end). */
    @FunctionalInterface
    public interface LineFormat {
        /**
         * @param done    units done
         * @param total   units in all
         * @param seconds since the reporter started
         */
        String line(long done, long total, double seconds);
    }

    /** Settings for a bar or plain lines; the defaults are those of {@link #start}. */
    public static Builder builder(String task, long total) {
        return new Builder(task, total);
    }

    public static final class Builder {
        private final String task;
        private final long total;
        private String unit = "";
        private long unitSize = 1;
        private PrintStream out;
        private int lines = 10;
        private boolean lineAtClose = true;
        private LineFormat format;
        private boolean showSpeed = true;
        private int barUpdateMillis = 250;

        private Builder(String task, long total) {
            this.task = task;
            this.total = total;
        }

        /** What is counted, and how many units make one displayed unit (e.g. bytes per MB). */
        public Builder unit(String unit, long unitSize) {
            this.unit = unit;
            this.unitSize = unitSize;
            return this;
        }

        /** Where the bar or lines go (default stderr). */
        public Builder out(PrintStream out) {
            this.out = out;
            return this;
        }

        /**
         * Plain lines at each {@code 1/parts} of the way (not at the end itself), and one more when closed
         * if {@code lineAtClose}. Default: tenths, and a line at close.
         */
        public Builder lines(int parts, boolean lineAtClose) {
            this.lines = parts;
            this.lineAtClose = lineAtClose;
            return this;
        }

        /** What a plain line says; default {@code "task: done/total unit (percent%) in N s"}. */
        public Builder lineFormat(LineFormat format) {
            this.format = format;
            return this;
        }

        /** Bar settings: whether it shows units per second, and how often it redraws. */
        public Builder bar(boolean showSpeed, int updateMillis) {
            this.showSpeed = showSpeed;
            this.barUpdateMillis = updateMillis;
            return this;
        }

        /** A bar when the console is a terminal, plain lines otherwise. */
        public ProgressReporter auto() {
            return System.console() != null ? bar() : lines();
        }

        public ProgressReporter bar() {
            return new Bar(this);
        }

        public ProgressReporter lines() {
            LineFormat f = format != null ? format : defaultFormat(task, unit, Math.max(unitSize, 1));
            return new Lines(total, lines, lineAtClose, f, out != null ? out : System.err);
        }
    }

    private static LineFormat defaultFormat(String task, String unit, long unitSize) {
        return (done, total, seconds) -> String.format("%s: %d/%d %s (%d%%) in %.0f s", task, done / unitSize,
                total / unitSize, unit, done * 100 / total, seconds);
    }

    private static final class Bar extends ProgressReporter {
        private final ProgressBar bar;

        Bar(Builder b) {
            ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(b.task).setInitialMax(b.total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(b.barUpdateMillis)
                    .setUnit(" " + b.unit, Math.max(b.unitSize, 1));
            if (b.showSpeed) {
                builder.showSpeed();
            }
            if (b.out != null) {
                builder.setConsumer(new ConsoleProgressBarConsumer(b.out));
            }
            this.bar = builder.build();
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
        public void message(String text) {
            bar.setExtraMessage(text);
        }

        @Override
        public boolean isBar() {
            return true;
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** One line at each {@code 1/parts} of the way, plus one at the end when asked for. */
    static final class Lines extends ProgressReporter {
        private final long total;
        private final int parts;
        private final boolean lineAtClose;
        private final LineFormat format;
        private final PrintStream out;
        private final long startNanos = System.nanoTime();
        private long done;
        private int reportedParts;
        private boolean closed;

        /** Tenths and a line at close, in the default format. */
        Lines(String task, long total, String unit, long unitSize, PrintStream out) {
            this(total, 10, true, defaultFormat(task, unit, Math.max(unitSize, 1)), out);
        }

        Lines(long total, int parts, boolean lineAtClose, LineFormat format, PrintStream out) {
            this.total = Math.max(total, 1);
            this.parts = parts;
            this.lineAtClose = lineAtClose;
            this.format = format;
            this.out = out;
        }

        @Override
        public synchronized void step(long n) {
            stepTo(done + n);
        }

        @Override
        public synchronized void stepTo(long value) {
            done = value;
            int reached = (int) Math.min(parts, done * parts / total);
            if (reached > reportedParts && reached < parts) {
                reportedParts = reached;
                print();
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                if (lineAtClose) {
                    print();
                }
            }
        }

        private void print() {
            out.println(format.line(done, total, (System.nanoTime() - startNanos) / 1e9));
            out.flush();
        }
    }
}
