package org.smearscan.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer whose learning rate (per parameter group) and momentum are set from outside before every
 * step, which DJL's built-in optimizers cannot do (their momentum is fixed at construction).
 *
 * <p>Parameters are resolved once into slots holding their state arrays, so a step costs one fused native
 * update per trainable parameter and no map look-ups. Weight decay is decoupled from the gradient
 * (AdamW-style) and skipped for biases and normalisation parameters.
 */
public abstract class ScheduledOptimizer extends Optimizer implements AutoCloseable {

    /** One trainable parameter with its group, state arrays and step count. */
    protected static final class Slot {
        final NamedParameter named;
        final int group;
        final boolean decays;
        NDArray[] state;
        int step;

        Slot(NamedParameter named, int group) {
            this.named = named;
            this.group = group;
            this.decays = named.decays();
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private final Map<String, Slot> byId = new HashMap<>();
    private final double[] learningRates;
    private final float weightDecay;
    private final NDManager stateManager;
    private double momentum;

    protected ScheduledOptimizer(List<List<NamedParameter>> groups, double weightDecay, double momentum,
            NDManager stateManager) {
        super(new NoBuilder());
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("an optimizer needs at least one parameter group");
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("weight decay must not be negative, got " + weightDecay);
        }
        this.learningRates = new double[groups.size()];
        this.weightDecay = (float) weightDecay;
        this.momentum = momentum;
        this.stateManager = stateManager;
        for (int g = 0; g < groups.size(); g++) {
            for (NamedParameter p : groups.get(g)) {
                if (p.isRunningStatistic()) {
                    continue; // updated by the forward pass, never by the optimizer
                }
                Slot slot = new Slot(p, g);
                slots.add(slot);
                byId.put(p.parameter().getId(), slot);
            }
        }
    }

    /** How many state arrays (moments, velocity) each parameter carries. */
    protected abstract int stateArrays();

    /** Applies one update to {@code weight} from {@code grad}; the gradient is cleared afterwards. */
    protected abstract void apply(Slot slot, NDArray weight, NDArray grad, float lr, float wd);

    public int groups() {
        return learningRates.length;
    }

    public void setLearningRates(double[] lrs) {
        if (lrs.length != learningRates.length) {
            throw new IllegalArgumentException("expected " + learningRates.length + " learning rates, got " + lrs.length);
        }
        System.arraycopy(lrs, 0, learningRates, 0, lrs.length);
    }

    public double learningRate(int group) {
        return learningRates[group];
    }

    public double[] learningRates() {
        return learningRates.clone();
    }

    /** Adam's beta1, or SGD's momentum. */
    public void setMomentum(double newMomentum) {
        this.momentum = newMomentum;
    }

    public double momentum() {
        return momentum;
    }

    public double weightDecay() {
        return weightDecay;
    }

    /** Updates every trainable (unfrozen) parameter from its gradient and clears the gradients. */
    public void step() {
        for (Slot slot : slots) {
            if (!slot.named.parameter().requiresGradient()) {
                continue; // frozen
            }
            NDArray weight = slot.named.parameter().getArray();
            if (!weight.hasGradient()) {
                continue;
            }
            try (NDArray grad = weight.getGradient()) {
                update(slot, weight, grad);
            }
        }
    }

    /** DJL's per-parameter entry point, so this optimizer also works inside a DJL Trainer. */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        Slot slot = byId.get(parameterId);
        if (slot == null) {
            throw new IllegalArgumentException("parameter " + parameterId + " is not in any group of this optimizer");
        }
        update(slot, weight, grad);
    }

    private void update(Slot slot, NDArray weight, NDArray grad) {
        if (slot.state == null) {
            slot.state = new NDArray[stateArrays()];
            for (int i = 0; i < slot.state.length; i++) {
                slot.state[i] = stateManager.zeros(weight.getShape(), weight.getDataType());
            }
        }
        slot.step++;
        float lr = (float) learningRates[slot.group];
        apply(slot, weight, grad, lr, slot.decays ? weightDecay : 0f);
    }

    /** Writes step counts and state arrays by parameter name. */
    public void saveState(DataOutputStream out) throws IOException {
        out.writeInt(slots.size());
        for (Slot slot : slots) {
            out.writeUTF(slot.named.name());
            out.writeInt(slot.step);
            int n = slot.state == null ? 0 : slot.state.length;
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                byte[] bytes = slot.state[i].encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /** Restores what {@link #saveState} wrote for the same network. */
    public void loadState(DataInputStream in) throws IOException {
        Map<String, Slot> byName = new HashMap<>();
        for (Slot slot : slots) {
            byName.put(slot.named.name(), slot);
        }
        int count = in.readInt();
        if (count != slots.size()) {
            throw new IOException("optimizer state holds " + count + " parameters, this network has " + slots.size());
        }
        for (int k = 0; k < count; k++) {
            String name = in.readUTF();
            Slot slot = byName.get(name);
            if (slot == null) {
                throw new IOException("optimizer state names parameter " + name + ", which this network lacks");
            }
            slot.step = in.readInt();
            int n = in.readInt();
            if (slot.state != null) {
                for (NDArray a : slot.state) {
                    a.close();
                }
            }
            slot.state = n == 0 ? null : new NDArray[n];
            for (int i = 0; i < n; i++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                slot.state[i] = stateManager.decode(bytes);
            }
        }
    }

    @Override
    public void close() {
        stateManager.close();
    }

    private static final class NoBuilder extends OptimizerBuilder<NoBuilder> {
        @Override
        protected NoBuilder self() {
            return this;
        }
    }
}
