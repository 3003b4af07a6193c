package org.smearscan.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.modelfile.ModelFile;

/**
 * The quality-bar tests share one trained model. It must be the same model whatever ran before it in the
 * JVM, or those tests pass or fail by test order.
 */
class TestModelsTest {

    @Test
    void trainingGivesTheSameWeightsWhateverEngineStateCameBefore(@TempDir Path tmp) throws Exception {
        Path shared = TestModels.trained(); // trained once per JVM, after whatever tests ran first

        // What other tests leave behind in the process: another seed, the generator advanced, grad mode off,
        // another thread count, garbage waiting to be collected.
        Engine.getEngine("PyTorch").setRandomSeed(12345);
        int threads = JniUtils.getNumThreads();
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.randomNormal(new ai.djl.ndarray.types.Shape(1000)).sum().getFloat();
        }
        JniUtils.setGradMode(false);
        JniUtils.setNumThreads(2);
        Path second = tmp.resolve("second.smear");
        try {
            System.gc();
            TestModels.train(second, TestModels.info());
        } finally {
            JniUtils.setNumThreads(threads);
        }

        assertThat(ModelFile.verify(second).sha256()).isEqualTo(ModelFile.verify(shared).sha256());
    }
}
