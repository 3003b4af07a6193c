package org.smearscan.cli;

import java.util.ListResourceBundle;
import java.util.Locale;
import org.smearscan.data.SplitSpec;
import org.smearscan.train.run.Recipe;

/**
 * The defaults that {@code train} and {@code lr-find} show in their help, read from {@link Recipe#DEFAULT}
 * and {@link SplitSpec}, so the help cannot drift from what runs. Option descriptions use them as
 * {@code ${bundle:default.epochs}} and so on.
 */
public final class RecipeDefaults extends ListResourceBundle {
    @Override
    protected Object[][] getContents() {
        Recipe r = Recipe.DEFAULT;
        return new Object[][] {
            {"default.arch", r.arch().cliName()},
            {"default.size", Integer.toString(r.size())},
            {"default.bs", Integer.toString(r.batchSize())},
            {"default.epochs", Integer.toString(r.epochs())},
            {"default.lr", r.lr().isRange() ? fmt(r.lr().low()) + ":" + fmt(r.lr().high()) : fmt(r.lr().high())},
            {"default.wd", fmt(r.weightDecay())},
            {"default.pct-start", fmt(r.pctStart())},
            {"default.optimizer", r.optimizer().cliName()},
            {"default.resize", r.resize().name().toLowerCase(Locale.ROOT)},
            {"default.monitor", r.monitor().name()},
            {"default.precise-bn", Integer.toString(r.preciseBn())},
            {"default.valid-pct", fmt(SplitSpec.DEFAULT_VALID_PCT)},
            {"default.seed", Long.toString(SplitSpec.DEFAULT_SEED)},
        };
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
