package org.smearscan.evaluate;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress of long work on stderr (stdout may carry JSON): a live bar on a terminal, else a line every 10 s. */
final class Progress {
    private Progress() {}

    static ProgressBar bar(String task, long max) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).showSpeed();
        if (System.console() != null) {
            builder.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err));
        } else {
            builder.setUpdateIntervalMillis(10_000).setConsumer(new DelegatingProgressBarConsumer(System.err::println));
        }
        return builder.build();
    }
}
