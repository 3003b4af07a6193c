package org.smearscan.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.testing.SyntheticCells;
import org.smearscan.train.run.Recipe;

class TutorialTest {

    @Test
    void trainsEvaluatesAndWritesTheReportInOneGo(@TempDir Path tmp) throws Exception {
        Path data = SyntheticCells.writeDataset(tmp.resolve("cells"), 60, 7);
        Path runDir = tmp.resolve("run");
        // The same code path as `smearscan run`, with the epochs and image size shortened for a test.
        Recipe shortRecipe = Recipe.DEFAULT.toBuilder().epochs(2).size(32).batchSize(16).build();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<String> warnings = new ArrayList<>();

        Tutorial.Outcome outcome = Tutorial.run(data, runDir, shortRecipe, 42,
                new PrintStream(log, true, StandardCharsets.UTF_8), warnings::add);

        assertThat(outcome.modelFile()).isRegularFile();
        assertThat(ModelFile.verify(outcome.modelFile())).isNotNull();
        assertThat(outcome.report()).isRegularFile().startsWith(runDir.resolve(Tutorial.REPORT_DIR));
        String html = Files.readString(outcome.report());
        assertThat(html).containsIgnoringCase("sensitivity").contains("data:image/png;base64,");
        assertThat(outcome.evaluation().n()).isGreaterThan(0);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("1/3", "2/3", "3/3");
    }
}
