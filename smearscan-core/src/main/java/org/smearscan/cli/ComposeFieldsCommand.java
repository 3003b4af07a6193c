package org.smearscan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.smearscan.field.compose.CellSource;
import org.smearscan.field.compose.ComposedField;
import org.smearscan.field.compose.ComposedFieldSet;
import org.smearscan.field.compose.FieldComposer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compose-fields", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compose smear fields with every cell known from single-cell crops (cells on black, e.g. the NIH",
            "cell_images): OUT/fields/*.png and OUT/truth.json (annotations.json's format). evaluate-fields",
            "--complete-truth then measures detection precision and the exact parasitemia error, which fields",
            "annotated by hand (not every cell boxed) cannot."})
final class ComposeFieldsCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CELLS_DIR", description = "Folder with Parasitized/ and Uninfected/ crops.")
    Path cells;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "New or empty folder for the fields.")
    Path out;

    @Option(names = "--parasitemia", paramLabel = "P,...", split = ",", defaultValue = "0,2,5,10",
            description = "Parasitemia of the fields, percent; cycled through (default: ${DEFAULT-VALUE}).")
    List<Double> parasitemia;

    @Option(names = "--fields", paramLabel = "N", defaultValue = "20", description = "Fields to compose (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--cells-per-field", paramLabel = "N", defaultValue = "150", description = "Red cells per field (default: ${DEFAULT-VALUE}).")
    int cellsPerField;

    @Option(names = "--crops", paramLabel = "N", defaultValue = "400",
            description = "Crops drawn per class from CELLS_DIR (default: ${DEFAULT-VALUE}).")
    int crops;

    @Option(names = "--seed", defaultValue = "42", description = "Fixes the crops, the layout and the colours (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out)) {
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + " is not empty; choose a new or empty folder");
                }
            }
        }
        if (count < 1 || parasitemia.stream().anyMatch(p -> !(p >= 0 && p <= 100))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fields must be at least 1 and each --parasitemia in 0..100");
        }
        CellSource source = CellSource.fromFolder(cells, crops, seed);
        FieldComposer composer = TrainCommand.DataModelOptions.parse(spec,
                () -> FieldComposer.builder(source).cellCount(cellsPerField).seed(seed).build());
        List<ComposedField> fields = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            fields.add(composer.compose(parasitemia.get(i % parasitemia.size()) / 100));
        }
        ComposedFieldSet.write(out, fields, "composed");
        int infected = fields.stream().mapToInt(ComposedField::infectedCount).sum();
        int total = fields.stream().mapToInt(ComposedField::cellCount).sum();
        spec.commandLine().getOut().printf(Locale.ROOT, "%d fields, %d red cells, %d infected, in %s (truth: %s)%n",
                fields.size(), total, infected, out.resolve(ComposedFieldSet.FIELDS), out.resolve(ComposedFieldSet.TRUTH));
        return 0;
    }
}
