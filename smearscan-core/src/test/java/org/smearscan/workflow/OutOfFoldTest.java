package org.smearscan.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.data.CellImage;
import org.smearscan.evaluate.ImageGrid;
import org.smearscan.testing.SyntheticCells;

class OutOfFoldTest {
    static final List<String> CLASSES = List.of("Parasitized", "Uninfected");

    private static OutOfFold.Row row(String name, int label, double pParasitized) {
        return new OutOfFold.Row(name, label, "P1", 1, new double[] {pParasitized, 1 - pParasitized});
    }

    @Test
    void aLabelIsSuspectWhenTheOtherClassReachesItsMeanSelfConfidence() {
        // labelled Parasitized (0): self-confidence (0.9 + 0.9 + 0.3) / 3 = 0.7
        // labelled Uninfected (1): self-confidence (0.8 + 0.8 + 0.2 + 0.6) / 4 = 0.6
        List<OutOfFold.Row> rows = List.of(row("a", 0, 0.9), row("b", 0, 0.9), row("c", 0, 0.3),
                row("d", 1, 0.2), row("e", 1, 0.2), row("f", 1, 0.8), row("g", 1, 0.4));

        List<OutOfFold.Suspect> suspects = OutOfFold.suspects(rows, 2);

        // c: p(Uninfected) 0.7 >= 0.6, suspect; f: p(Parasitized) 0.8 >= 0.7, suspect; g: 0.4 < 0.7, not
        assertThat(suspects).extracting(s -> s.row().path()).containsExactly("f", "c");
        assertThat(suspects.get(0).suggested()).isZero();
        assertThat(suspects.get(0).labelProbability()).isCloseTo(1 - 0.8, offset(1e-12));
        assertThat(suspects.get(1).suggested()).isEqualTo(1);
    }

    @Test
    void predictionsComeBackAsWrittenAndSuspectsAreListedMostConfidentFirst(@TempDir Path tmp) throws IOException {
        List<CellImage> images = List.of(new CellImage(Path.of("/d/Parasitized/C1P7_a,1.png"), 0, "P7"),
                new CellImage(Path.of("/d/Uninfected/C2P8_b.png"), 1, "P8"));
        Path file = tmp.resolve("fold-2/predictions.csv");
        Files.createDirectories(file.getParent());
        OutOfFold.write(file, CLASSES, images, new double[][] {{0.25, 0.5}, {0.75, 0.5}}, 2);

        OutOfFold.Table table = OutOfFold.read(file);

        assertThat(table.classes()).isEqualTo(CLASSES);
        assertThat(table.rows()).hasSize(2);
        assertThat(table.rows().get(0).path()).isEqualTo("/d/Parasitized/C1P7_a,1.png");
        assertThat(table.rows().get(0).probabilities()).containsExactly(0.25, 0.75);
        assertThat(table.rows().get(1).fold()).isEqualTo(2);
        assertThat(table.rows().get(1).donor()).isEqualTo("P8");

        Path suspects = tmp.resolve("suspects.csv");
        OutOfFold.writeSuspects(suspects, CLASSES, OutOfFold.suspects(table.rows(), 2));
        assertThat(Files.readAllLines(suspects)).first().isEqualTo("path,label,suggested,p_label,p_suggested,donor,fold");
    }

    @Test
    void aFileThatIsNotAPredictionsFileIsNamedInTheError(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("other.csv"), "file,label,probability\nx.png,Parasitized,0.5\n");
        assertThatThrownBy(() -> OutOfFold.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("other.csv").hasMessageContaining("not a predictions file");

        Path broken = Files.writeString(tmp.resolve("broken.csv"),
                "path,label,donor,fold,p_Parasitized,p_Uninfected\nx.png,Parasitized,P1,1,zero,1\n");
        assertThatThrownBy(() -> OutOfFold.read(broken)).hasMessageContaining("broken.csv")
                .hasMessageContaining("not a number");
    }

    @Test
    void theGridDrawsTheReadableSuspectsAndNothingWhenThereAreNone(@TempDir Path tmp) throws IOException {
        Path cell = tmp.resolve("Parasitized/C1P7_cell.png");
        Files.createDirectories(cell.getParent());
        ImageIO.write(SyntheticCells.cell(new Random(1), false, 60, 50), "png", cell.toFile());
        OutOfFold.Suspect readable = new OutOfFold.Suspect(new OutOfFold.Row(cell.toString(), 0, "P7", 1,
                new double[] {0.02, 0.98}), 1);
        OutOfFold.Suspect missing = new OutOfFold.Suspect(new OutOfFold.Row(tmp.resolve("gone.png").toString(), 0,
                "P7", 1, new double[] {0.03, 0.97}), 1);
        Path grid = tmp.resolve("suspects.png");

        OutOfFold.writeGrid(grid, CLASSES, List.of(readable, missing));

        BufferedImage picture = ImageIO.read(grid.toFile());
        assertThat(picture.getWidth()).as("one tile: the missing image is left to the CSV")
                .isEqualTo(ImageGrid.DEFAULT_TILE + 16);
        Path none = tmp.resolve("none.png");
        OutOfFold.writeGrid(none, CLASSES, List.of());
        assertThat(none).doesNotExist();
    }
}
