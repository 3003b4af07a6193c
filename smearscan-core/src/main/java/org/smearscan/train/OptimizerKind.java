package org.smearscan.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import org.smearscan.train.optim.AdamW;
import org.smearscan.train.optim.SgdMomentum;

/** The optimizers a recipe can name. */
public enum OptimizerKind {
    /** fastai's default: AdamW, beta2 0.99, eps 1e-5, decoupled weight decay. */
    ADAMW("adamw"),
    /** SGD with momentum 0.9 (cycled by one-cycle like Adam's beta1). */
    SGD("sgd");

    private final String cliName;

    OptimizerKind(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in config.json. */
    @JsonValue
    public String cliName() {
        return cliName;
    }

    public Learner.OptimizerFactory factory() {
        return switch (this) {
            case ADAMW -> (groups, wd, state) -> AdamW.withDefaults(groups.parameterLists(), wd, state);
            case SGD -> (groups, wd, state) -> new SgdMomentum(groups.parameterLists(), wd, 0.9, state);
        };
    }

    @JsonCreator
    public static OptimizerKind parse(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.cliName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("optimizer must be adamw or sgd, got '" + name + "'"));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
