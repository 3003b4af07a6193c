package org.smearscan.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smearscan.workflow.FieldEvaluationRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "evaluate-fields", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a model against annotated smear fields: detected cells are matched to the boxes at",
            "IoU >= 0.5 (one to one, greedy); boxes and detections within 3 px of the border are left out.",
            "Prints a per-field table and the figures with 95% intervals, or with --json one JSON object."})
final class EvaluateFieldsCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model file (.smear).")
    Path model;

    @Parameters(index = "1", paramLabel = "FIELDS_DIR", description = "Folder of field photographs.")
    Path fieldsDir;

    @Option(names = "--annotations", paramLabel = "FILE", required = true, description = "The fields' annotations.json.")
    Path annotations;

    @Option(names = "--fields", paramLabel = "NAMES",
            description = "Score only these fields: a file with one name per line, or names separated by commas.")
    String fields;

    @Option(names = "--json", description = "Print one JSON object with exactly the figures, fields and cells; nothing else on stdout.")
    boolean json;

    @Option(names = "--complete-truth",
            description = "Every cell of the fields is annotated (composed fields): also print detection precision and the exact parasitemia error.")
    boolean completeTruth;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(model)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "MODEL " + model + ": no such file");
        }
        FieldEvaluationRun.Result result = FieldEvaluationRun.run(
                new FieldEvaluationRun.Options(model, fieldsDir, annotations, FieldNames.parse(fields), completeTruth),
                new java.io.PrintStream(new TrainCommand.WriterOutputStream(err), true));
        if (!result.seenInTraining().isEmpty()) {
            err.printf("warning: the model was trained or validated on %d of these fields (e.g. %s); their figures flatter it%n",
                    result.seenInTraining().size(), result.seenInTraining().get(0));
        }
        if (json) {
            ObjectNode node = result.scores().toJson();
            if (result.complete() != null) {
                node.set("complete_truth", result.complete().toJson());
            }
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } else {
            out.print(result.scores().perFieldTable());
            out.println();
            out.print(result.scores().summaryText());
            if (result.complete() != null) {
                out.println();
                out.print(result.complete().summaryText());
            }
        }
        out.flush();
        err.flush();
        return 0;
    }
}
