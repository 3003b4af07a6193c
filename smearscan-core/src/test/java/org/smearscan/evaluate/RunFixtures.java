package org.smearscan.evaluate;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.smearscan.data.CellDataset;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import org.smearscan.data.Split;
import org.smearscan.data.SplitFile;
import org.smearscan.model.Architecture;
import org.smearscan.model.CellNet;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.model.Networks;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.modelfile.Provenance;
import org.smearscan.testing.SyntheticCells;

/** A run folder as training leaves it (model.smear, split.tsv, history.csv), over a synthetic data set. */
final class RunFixtures {
    static final int SIZE = 32;
    static final List<String> CLASSES = List.of("Parasitized", "Uninfected");

    private RunFixtures() {}

    /** The data set folder and the run folder. */
    record Run(Path data, Path runFolder, Path model, Path splitFile) {}

    static Run create(Path dir, int perClass) throws IOException {
        Path data = SyntheticCells.writeDataset(dir.resolve("cells"), perClass, 3);
        Path runFolder = Files.createDirectories(dir.resolve("run"));
        CellDataset dataset = CellDataset.scan(data);
        Split split = Split.byDonor(dataset.images(), 0.4, 42);
        Path splitFile = runFolder.resolve("split.tsv");
        String splitSha = SplitFile.write(splitFile, split, dataset);
        Path model = runFolder.resolve("model.smear");
        writeModel(model, Map.of("split_sha256", splitSha, "dataset_fingerprint", dataset.fingerprint(), "seed", "42"));
        Files.writeString(runFolder.resolve("history.csv"), """
                epoch,train_loss,valid_loss,accuracy,error_rate,auc,lr,seconds,img_per_s
                1,0.62,0.55,0.71,0.29,0.80,0.001,10.5,120.0
                2,0.41,0.38,0.85,0.15,0.92,0.0005,10.1,125.0
                3,0.30,0.33,0.88,0.12,0.95,0.00001,10.2,124.0
                """);
        Files.writeString(runFolder.resolve("config.json"), "{\"architecture\": \"compact\", \"epochs\": 3}\n");
        return new Run(data, runFolder, model, splitFile);
    }

    /** An untrained compact network at 32 px, written as a model file. */
    static void writeModel(Path file, Map<String, String> provenance) throws IOException {
        ModelSpec spec = new ModelSpec(Architecture.COMPACT, HeadType.FASTAI, 2);
        CellNet net = Networks.build(spec);
        try (NDManager manager = NDManager.newBaseManager()) {
            net.network().initialize(manager, DataType.FLOAT32, new Shape(1, 3, SIZE, SIZE));
            ModelInfo info = new ModelInfo(spec, CLASSES, 0, SIZE, ResizeMethod.SQUISH, Normalization.IMAGENET, 0.5, 1.0,
                    Map.of("accuracy", 0.5), Provenance.fromFlatMap(provenance));
            ModelFile.write(file, net, info);
        }
    }
}
