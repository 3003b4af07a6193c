package org.smearscan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.smearscan.model.Architecture;
import org.smearscan.model.CellNet;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.model.Networks;
import org.smearscan.testing.TrainFixtures;

class WeightSnapshotTest {

    private static List<float[]> values(CellNet net) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.network().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void restoringWritesTheValuesIntoTheSameArraysAndKeepsGradientFlagsAndGradMode() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet target = TrainFixtures.compact(manager, 16, 1);
            CellNet source = TrainFixtures.compact(manager, 16, 2);
            // a snapshot that went through a file, as a checkpoint's does
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                WeightSnapshot.of(source.network()).write(out);
            }
            WeightSnapshot snapshot = WeightSnapshot.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

            List<NDArray> arraysBefore = new ArrayList<>();
            List<Boolean> gradBefore = new ArrayList<>();
            for (Pair<String, Parameter> p : target.network().getParameters()) {
                arraysBefore.add(p.getValue().getArray());
                gradBefore.add(p.getValue().getArray().hasGradient());
            }
            assertThat(gradBefore).contains(true);
            List<float[]> expected = values(source);
            assertThat(values(target).get(0)).isNotEqualTo(expected.get(0));

            JniUtils.setGradMode(true);
            try {
                snapshot.restoreInto(target.network());
                assertThat(JniUtils.isGradMode()).as("grad mode as it was").isTrue();
            } finally {
                JniUtils.setGradMode(false);
            }
            snapshot.restoreInto(target.network());
            assertThat(JniUtils.isGradMode()).isFalse();

            List<float[]> restored = values(target);
            ParameterList params = target.network().getParameters();
            for (int i = 0; i < params.size(); i++) {
                String name = params.keyAt(i);
                NDArray array = params.valueAt(i).getArray();
                assertThat(Arrays.equals(restored.get(i), expected.get(i))).as(name + " restored").isTrue();
                assertThat(array).as(name + " is the same array").isSameAs(arraysBefore.get(i));
                assertThat(array.hasGradient()).as(name + " gradient flag").isEqualTo(gradBefore.get(i));
            }
        }
    }

    @Test
    void aSnapshotThatDiffersOnlyInTheLastLayerIsRefusedBeforeAnythingIsWritten() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet target = TrainFixtures.compact(manager, 16, 1);
            CellNet threeClasses = Networks.build(new ModelSpec(Architecture.COMPACT, HeadType.FASTAI, 3));
            Initialization.initialize(threeClasses, manager, 16, 2);
            WeightSnapshot other = WeightSnapshot.of(threeClasses.network());
            List<float[]> before = values(target);

            assertThatThrownBy(() -> other.restoreInto(target.network()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in the snapshot");
            List<float[]> after = values(target);
            for (int i = 0; i < before.size(); i++) {
                assertThat(Arrays.equals(after.get(i), before.get(i))).as("parameter " + i + " untouched").isTrue();
            }
        }
    }

    @Test
    void aTorchScriptBodyRunsWithTheRestoredValues() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TorchScriptBackboneTest.load(manager, TorchScriptBackboneTest.FIXTURE);
            NDArray probe = manager.randomUniform(-1, 1, new Shape(2, 3, 32, 32));
            float[] expected = bodyOutput(net, manager, probe);
            WeightSnapshot snapshot = WeightSnapshot.of(net.network());

            JniUtils.setGradMode(false);
            for (Parameter p : net.body().getParameters().values()) {
                p.getArray().muli(0.5f); // in place: the module's own tensors change
            }
            assertThat(bodyOutput(net, manager, probe)).isNotEqualTo(expected);

            snapshot.restoreInto(net.network());
            assertThat(bodyOutput(net, manager, probe)).containsExactly(expected);
        }
    }

    private static float[] bodyOutput(CellNet net, NDManager manager, NDArray x) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray in = x.duplicate();
            in.attach(scratch);
            return net.body().forward(new ParameterStore(manager, false), new NDList(in), false)
                    .singletonOrThrow().toFloatArray();
        }
    }

    /**
     * PyTorch's native log goes to the process's stderr, out of Java's reach, so a child JVM restores a
     * snapshot and its stderr is read. A control child writes through {@code NDArray.set(Buffer)}, the call
     * restoring used to make, to show the warning would be seen.
     */
    @Test
    void restoringPrintsNoDeprecationWarningOnNativeStderr() throws Exception {
        String control = runChild("set-buffer");
        assumeTrue(control.contains("AutoNonVariableTypeMode"),
                "this PyTorch build no longer warns from NDArray.set(Buffer); stderr was: " + control);
        String err = runChild("restore");
        assertThat(err).doesNotContain("AutoNonVariableTypeMode").doesNotContain("deprecated");
    }

    private static String runChild(String mode) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx512m", "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error",
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), mode);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process child = pb.start();
        byte[] err = child.getErrorStream().readAllBytes();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        String text = new String(err, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as("child exit; stderr: " + text).isZero();
        return text;
    }

    /** The child process: one write into a network's weights, by the given route. */
    public static final class Child {
        public static void main(String[] args) {
            try (NDManager manager = NDManager.newBaseManager()) {
                CellNet target = TrainFixtures.compact(manager, 16, 1);
                CellNet source = TrainFixtures.compact(manager, 16, 2);
                if (args[0].equals("set-buffer")) {
                    NDArray array = target.network().getParameters().valueAt(0).getArray();
                    byte[] data = source.network().getParameters().valueAt(0).getArray().toByteArray();
                    ByteBuffer buffer = ByteBuffer.allocateDirect(data.length).order(ByteOrder.nativeOrder());
                    buffer.put(data).flip();
                    array.set(buffer);
                } else {
                    WeightSnapshot.of(source.network()).restoreInto(target.network());
                }
            }
        }
    }
}
