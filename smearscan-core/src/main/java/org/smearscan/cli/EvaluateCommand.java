package org.smearscan.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.smearscan.evaluate.EvaluationRun;
import org.smearscan.evaluate.EvaluationText;
import org.smearscan.evaluate.SiteCalibration;
import org.smearscan.evaluate.TrainingOverlap;
import org.smearscan.inference.DistributionShift;
import org.smearscan.inference.EngineKind;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Measure a model on images it did not train on: every screening metric with its 95%% interval,"
                + " the confusion matrix, the operating point for a sensitivity target, calibration and"
                + " accuracy per donor.",
            "By default the images are the validation side of the model's own split (split.tsv beside the model)."},
        footer = {"", "Rule for --all: " + TrainingOverlap.RULE + "."})
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    EvaluationOptions options;

    @Option(names = "--json", description = "Print one JSON object (and nothing else) on stdout.")
    boolean json;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "pytorch", converter = EngineOption.class,
            description = "Runtime that scores the images: " + EngineOption.DESCRIPTION + " MODEL stays the .smear"
                    + " file, whose split and provenance evaluate needs.")
    EngineKind engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (EvaluationRun run = EvaluationRun.run(options.request(spec).withEngine(engine),
                message -> EvaluationOptions.warn(spec, message))) {
            Optional<SiteCalibration.Check> calibration = SiteCalibration.check(run.model().info(), run.evaluation());
            int notACell = run.scores().notACell();
            int images = run.scores().size();
            boolean scored = run.scores().oodScores() != null;
            if (json) {
                Map<String, Object> out = run.evaluation().toJsonMap();
                if (scored) {
                    out.put("not_a_cell", notACell);
                }
                calibration.ifPresent(c -> out.put("calibration_check", Map.of("target_sensitivity", c.target(),
                        "sensitivity", c.sensitivity().value(), "sensitivity_ci", c.sensitivity().interval(),
                        "infected", c.positives(), "verdict", c.verdict())));
                spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(out));
            } else {
                spec.commandLine().getOut().print(EvaluationText.render(run.evaluation()));
                calibration.ifPresent(c -> spec.commandLine().getOut().println(c.describe()));
                if (scored) {
                    spec.commandLine().getOut().printf(Locale.ROOT, "not a cell: %d of %d images (%.1f%%),"
                            + " by the model's out-of-distribution score; the figures above include them%n", notACell,
                            images, 100.0 * notACell / Math.max(1, images));
                }
            }
            DistributionShift.warning(notACell, images).ifPresent(w -> EvaluationOptions.warn(spec, w));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
