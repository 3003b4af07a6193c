package org.smearscan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.data.CellDataset;
import org.smearscan.testing.SyntheticCells;
import org.smearscan.train.callback.EpochRecord;
import org.smearscan.train.callback.History;
import org.smearscan.workflow.OutOfFold;

/** {@code smearscan cv} on generated cells: every donor held out once, and a cut-off run finished where it stopped. */
class CvCommandTest {
    @TempDir
    static Path shared;
    static Path data;

    @BeforeAll
    static void dataset() {
        data = SyntheticCells.writeDataset(shared.resolve("cells"), 30, 9);
    }

    private static String[] cv(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("cv", data.toString(), "--size", "32", "--bs", "16", "--epochs",
                "1", "--folds", "3", "--cache-dir", shared.resolve("cache").toString(), "--workers", "1", "--out",
                out.toString()));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    @Test
    void holdsOutEveryDonorOnceAndFinishesACutOffRunWithoutRetrainingWhatIsDone(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("cv");
        CliRun first = CliRun.run(cv(out));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("3-fold donor cross-validation", "mean ± sd", "worst-best fold");

        JsonNode summary = new ObjectMapper().readTree(out.resolve("cv.json").toFile());
        assertThat(summary.get("folds")).hasSize(3);
        int images = 0;
        int donors = 0;
        for (JsonNode fold : summary.get("folds")) {
            images += fold.get("images").asInt();
            donors += fold.get("donors").asInt();
            assertThat(fold.get("auc").asDouble()).isBetween(0.0, 1.0);
        }
        CellDataset dataset = CellDataset.scan(data);
        assertThat(images).as("each image is held out in exactly one fold").isEqualTo(dataset.images().size());
        assertThat(donors).as("and so is each donor").isEqualTo(dataset.donors().size());
        double mean = summary.get("accuracy").get("mean").asDouble();
        double byHand = 0;
        for (JsonNode fold : summary.get("folds")) {
            byHand += fold.get("accuracy").asDouble() / 3;
        }
        assertThat(mean).isCloseTo(byHand, within(1e-12));

        // beside the best epochs (chosen on the held-out donors), the last epoch's figures, which nothing chose
        assertThat(first.out()).contains("last epoch", "chosen by accuracy on the same held-out donors");
        for (JsonNode fold : summary.get("folds")) {
            List<EpochRecord> history = History.read(out.resolve("fold-" + fold.get("fold").asInt()));
            assertThat(fold.get("lastAccuracy").asDouble()).isEqualTo(history.get(history.size() - 1).accuracy());
            assertThat(fold.get("lastAuc").asDouble()).isEqualTo(history.get(history.size() - 1).auc());
        }
        assertThat(summary.get("lastAccuracy").get("mean").asDouble()).isBetween(0.0, 1.0);

        // every image scored once, out of fold, and the contradicted labels listed for review
        int scored = 0;
        for (int fold = 1; fold <= 3; fold++) {
            scored += OutOfFold.read(out.resolve("fold-" + fold).resolve(OutOfFold.PREDICTIONS)).rows().size();
        }
        assertThat(scored).isEqualTo(dataset.images().size());
        assertThat(Files.readAllLines(out.resolve(OutOfFold.SUSPECTS))).first()
                .isEqualTo("path,label,suggested,p_label,p_suggested,donor,fold");
        assertThat(first.out()).contains("confident learning").contains(out.resolve("suspects.csv").toString());

        // cut off: fold 2 trained but not evaluated, its model not yet written
        Path fold2 = out.resolve("fold-2");
        Files.delete(fold2.resolve("cv-fold.json"));
        Files.delete(fold2.resolve("model.smear"));
        Files.delete(out.resolve("fold-3").resolve(OutOfFold.PREDICTIONS)); // as a fold done before they were kept
        FileTime fold1Model = Files.getLastModifiedTime(out.resolve("fold-1").resolve("model.smear"));

        CliRun again = CliRun.run(cv(out));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("fold 1/3: done earlier", "fold 2/3: resuming the training",
                "fold 3/3: done earlier", "fold 3/3: scoring its held-out donors again");
        assertThat(fold2.resolve("model.smear")).isRegularFile();
        assertThat(out.resolve("fold-3").resolve(OutOfFold.PREDICTIONS)).as("scored again").isRegularFile();
        assertThat(Files.getLastModifiedTime(out.resolve("fold-1").resolve("model.smear"))).isEqualTo(fold1Model);

        CliRun other = CliRun.run(cv(out, "--lr", "1e-2"));
        assertThat(other.code()).isEqualTo(1);
        assertThat(other.err()).contains("fold-1").contains("holds a run of another recipe");
    }

    @Test
    void aScreenRunsTheFirstFoldsOnly(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("screen");
        CliRun screen = CliRun.run(cv(out, "--screen", "1"));
        assertThat(screen.code()).as(screen.err()).isZero();
        assertThat(screen.out()).contains("(the first 1 folds)").contains("fold 1/3").doesNotContain("fold 2/3");
        assertThat(out.resolve("fold-1").resolve("cv-fold.json")).isRegularFile();
        assertThat(out.resolve("fold-2")).doesNotExist();
        assertThat(out.resolve("cv.json")).as("the table of all folds waits for all folds").doesNotExist();
        assertThat(CliRun.run(cv(out, "--screen", "4")).code()).isEqualTo(2);
    }

    @Test
    void anotherTrainingSeedTrainsAnotherModelOnTheSameDonors(@TempDir Path tmp) throws Exception {
        CliRun first = CliRun.run(cv(tmp.resolve("seed42"), "--screen", "1"));
        CliRun second = CliRun.run(cv(tmp.resolve("seed7"), "--screen", "1", "--train-seed", "7", "--mixup", "0.4"));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(second.code()).as(second.err()).isZero();

        Path one = tmp.resolve("seed42").resolve("fold-1");
        Path other = tmp.resolve("seed7").resolve("fold-1");
        assertThat(Files.readAllLines(other.resolve("split.tsv"))).as("the same donors held out")
                .isEqualTo(Files.readAllLines(one.resolve("split.tsv")));
        JsonNode config = new ObjectMapper().readTree(other.resolve("config.json").toFile());
        assertThat(config.get("seed").asLong()).isEqualTo(7);
        assertThat(config.get("split").get("seed").asLong()).isEqualTo(42);
        assertThat(config.get("recipe").get("mixup").asDouble()).isEqualTo(0.4);
        assertThat(Files.readAllLines(other.resolve(OutOfFold.PREDICTIONS))).as("another model's scores")
                .isNotEqualTo(Files.readAllLines(one.resolve(OutOfFold.PREDICTIONS)));
    }

    @Test
    void refusesSplitsThatDoNotHoldOutDonorsAndASingleFold(@TempDir Path tmp) {
        CliRun random = CliRun.run(cv(tmp.resolve("a"), "--split", "random"));
        assertThat(random.code()).isEqualTo(2);
        assertThat(random.err()).contains("--split must be donor");

        CliRun one = CliRun.run(cv(tmp.resolve("b"), "--fold", "2"));
        assertThat(one.code()).isEqualTo(2);
        assertThat(one.err()).contains("cv runs every fold");
    }
}
