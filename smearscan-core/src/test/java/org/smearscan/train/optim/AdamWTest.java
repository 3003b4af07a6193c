package org.smearscan.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fused updates against a plain Java transcription of PyTorch's AdamW and fastai's SGD. */
class AdamWTest {
    private static final double[] LRS = {1e-2, 3e-2, 5e-3};
    private static final double[] MOMS = {0.95, 0.9, 0.85};

    private static SequentialBlock net(NDManager manager) {
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(4).build())
                .add(BatchNorm.builder().build())
                .add(Linear.builder().setUnits(2).build());
        Engine.getInstance().setRandomSeed(7);
        block.initialize(manager, DataType.FLOAT32, new Shape(5, 3));
        return block;
    }

    private static List<NamedParameter> named(SequentialBlock block) {
        List<NamedParameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(new NamedParameter(p.getKey(), p.getValue()));
        }
        return out;
    }

    /** Runs forward/backward on fixed data and returns each trainable parameter's gradient. */
    private static List<float[]> backward(SequentialBlock block, NDManager manager, List<NamedParameter> params) {
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.create(new float[] {1, 2, 3, -1, 0.5f, 2, 0, 1, -2, 3, 1, 1, 2, -3, 0.1f}, new Shape(5, 3));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                gc.backward(y.square().sum());
            }
            List<float[]> grads = new ArrayList<>();
            for (NamedParameter p : params) {
                NDArray a = p.parameter().getArray();
                grads.add(p.isRunningStatistic() || !a.hasGradient() ? null : a.getGradient().toFloatArray());
            }
            return grads;
        }
    }

    @Test
    void matchesPyTorchAdamWWithCycledBeta1AndDecoupledDecay() {
        double wd = 0.1;
        double beta2 = 0.99;
        double eps = 1e-5;
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = net(manager);
            List<NamedParameter> params = named(block);
            AdamW opt = new AdamW(List.of(params), wd, 0.9, beta2, eps, manager.newSubManager());
            int n = params.size();
            double[][] w = new double[n][];
            double[][] m = new double[n][];
            double[][] v = new double[n][];
            for (int i = 0; i < n; i++) {
                float[] f = params.get(i).parameter().getArray().toFloatArray();
                w[i] = toDouble(f);
                m[i] = new double[f.length];
                v[i] = new double[f.length];
            }
            for (int t = 1; t <= LRS.length; t++) {
                List<float[]> grads = backward(block, manager, params);
                double lr = LRS[t - 1];
                double beta1 = MOMS[t - 1];
                opt.setLearningRates(new double[] {lr});
                opt.setMomentum(beta1);
                opt.step();
                for (int i = 0; i < n; i++) {
                    NamedParameter p = params.get(i);
                    if (p.isRunningStatistic()) {
                        w[i] = toDouble(p.parameter().getArray().toFloatArray()); // the forward pass moves these
                        continue;
                    }
                    boolean decays = p.parameter().getType() == Parameter.Type.WEIGHT;
                    double bc1 = 1 - Math.pow(beta1, t);
                    double bc2 = 1 - Math.pow(beta2, t);
                    for (int k = 0; k < w[i].length; k++) {
                        double g = grads.get(i)[k];
                        if (decays) {
                            w[i][k] *= 1 - lr * wd;
                        }
                        m[i][k] = beta1 * m[i][k] + (1 - beta1) * g;
                        v[i][k] = beta2 * v[i][k] + (1 - beta2) * g * g;
                        w[i][k] -= lr / bc1 * m[i][k] / (Math.sqrt(v[i][k]) / Math.sqrt(bc2) + eps);
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                float[] actual = params.get(i).parameter().getArray().toFloatArray();
                for (int k = 0; k < actual.length; k++) {
                    assertThat((double) actual[k]).as(params.get(i).name() + "[" + k + "]").isCloseTo(w[i][k], within(2e-5));
                }
            }
            opt.close();
        }
    }

    @Test
    void sgdWithMomentumAndDecoupledDecay() {
        double wd = 0.05;
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = net(manager);
            List<NamedParameter> params = named(block);
            SgdMomentum opt = new SgdMomentum(List.of(params), wd, 0.9, manager.newSubManager());
            int n = params.size();
            double[][] w = new double[n][];
            double[][] vel = new double[n][];
            for (int i = 0; i < n; i++) {
                w[i] = toDouble(params.get(i).parameter().getArray().toFloatArray());
                vel[i] = new double[w[i].length];
            }
            for (int t = 0; t < LRS.length; t++) {
                List<float[]> grads = backward(block, manager, params);
                opt.setLearningRates(new double[] {LRS[t]});
                opt.setMomentum(MOMS[t]);
                opt.step();
                for (int i = 0; i < n; i++) {
                    NamedParameter p = params.get(i);
                    if (p.isRunningStatistic()) {
                        w[i] = toDouble(p.parameter().getArray().toFloatArray());
                        continue;
                    }
                    boolean decays = p.parameter().getType() == Parameter.Type.WEIGHT;
                    for (int k = 0; k < w[i].length; k++) {
                        if (decays) {
                            w[i][k] *= 1 - LRS[t] * wd;
                        }
                        vel[i][k] = MOMS[t] * vel[i][k] + LRS[t] * grads.get(i)[k];
                        w[i][k] -= vel[i][k];
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                float[] actual = params.get(i).parameter().getArray().toFloatArray();
                for (int k = 0; k < actual.length; k++) {
                    assertThat((double) actual[k]).isCloseTo(w[i][k], within(2e-5));
                }
            }
            opt.close();
        }
    }

    @Test
    void groupsGetTheirOwnRatesAndFrozenParametersStay() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = net(manager);
            List<NamedParameter> params = named(block);
            List<NamedParameter> first = params.subList(0, 2); // first linear: weight, bias
            List<NamedParameter> rest = params.subList(2, params.size());
            AdamW opt = AdamW.withDefaults(List.of(first, rest), 0.01, manager.newSubManager());
            float[] firstBefore = first.get(0).parameter().getArray().toFloatArray();
            float[] lastBefore = rest.get(rest.size() - 2).parameter().getArray().toFloatArray();
            backward(block, manager, params);
            opt.setLearningRates(new double[] {0, 1e-2});
            opt.step();
            assertThat(first.get(0).parameter().getArray().toFloatArray()).containsExactly(firstBefore);
            assertThat(rest.get(rest.size() - 2).parameter().getArray().toFloatArray()).isNotEqualTo(lastBefore);

            first.get(0).parameter().freeze(true);
            backward(block, manager, params);
            opt.setLearningRates(new double[] {1e-2, 1e-2});
            opt.step();
            assertThat(first.get(0).parameter().getArray().toFloatArray()).containsExactly(firstBefore);
            opt.close();
        }
    }

    @Test
    void stateRoundTripsByName() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = net(manager);
            List<NamedParameter> params = named(block);
            AdamW opt = AdamW.withDefaults(List.of(params), 0.01, manager.newSubManager());
            backward(block, manager, params);
            opt.setLearningRates(new double[] {1e-2});
            opt.step();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            opt.saveState(new DataOutputStream(bytes));
            AdamW copy = AdamW.withDefaults(List.of(params), 0.01, manager.newSubManager());
            copy.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            copy.saveState(new DataOutputStream(again));
            assertThat(again.toByteArray()).isEqualTo(bytes.toByteArray());
            opt.close();
            copy.close();
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
