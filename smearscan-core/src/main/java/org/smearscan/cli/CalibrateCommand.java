package org.smearscan.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.smearscan.evaluate.EvaluationRun;
import org.smearscan.evaluate.SiteCalibration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Fit a model to a site: on the site's own labelled images, fit the temperature and choose the"
                + " highest threshold that reaches --target-sensitivity, and write both into a new model file"
                + " (its provenance says on which images). predict and serve then use them; evaluate on"
                + " other images says whether the sensitivity held.",
            "Scores the validation side of the model's split file, or with --all every image of DATA (refused if any"
                    + " is one of the model's training images)."})
final class CalibrateCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    EvaluationOptions options;

    @Option(names = "--out", required = true, paramLabel = "MODEL2", description = "The calibrated model file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (options.threshold != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "calibrate chooses the threshold; give --target-sensitivity instead of --threshold");
        }
        if (Files.exists(out)) { // before the scoring, which can take a while
            throw new IOException(out + " already exists; choose another --out");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        try (EvaluationRun run = EvaluationRun.run(options.request(spec),
                message -> EvaluationOptions.warn(spec, message))) {
            SiteCalibration.Result r = SiteCalibration.fit(run, options.targetSensitivity);
            SiteCalibration.write(options.model, out, r.info());
            stdout.printf(Locale.ROOT, "calibrated on %d images (%s), %d of them infected%n", r.images(),
                    run.subset().description(), r.point().confusion().positives());
            stdout.printf(Locale.ROOT, "temperature %.4f (negative log-likelihood %.4f -> %.4f)%n",
                    r.fit().temperature(), r.fit().nllBefore(), r.fit().nllAfter());
            stdout.printf(Locale.ROOT, "threshold %.6f: sensitivity %.4f [%.4f, %.4f], specificity %.4f [%.4f, %.4f]"
                    + " on these images (met by construction; check it on others with evaluate)%n",
                    r.point().threshold(), r.point().sensitivity().value(), r.point().sensitivity().lo(),
                    r.point().sensitivity().hi(), r.point().specificity().value(), r.point().specificity().lo(),
                    r.point().specificity().hi());
            stdout.println("model: " + out);
            stdout.flush();
        }
        return 0;
    }
}
