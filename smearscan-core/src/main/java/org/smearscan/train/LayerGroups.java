package org.smearscan.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.smearscan.model.CellNet;
import org.smearscan.model.TorchScriptBody;
import org.smearscan.train.optim.NamedParameter;

/**
 * The network's parameters split into groups that train at different rates and freeze together, as in
 * fastai: for a ResNet, group 0 = stem + layer1 + layer2, group 1 = layer3 + layer4, group 2 = head.
 *
 * <p>Freezing works parameter by parameter and never touches BatchNorm running statistics: DJL's
 * {@code freezeParameters(false)} would make them require gradients, and the next forward pass, which
 * updates them in place, would fail.
 */
public final class LayerGroups {
    /** One group: a name for logs and its parameters. */
    public record Group(String name, List<NamedParameter> parameters) {
        public Group {
            parameters = List.copyOf(parameters);
        }
    }

    private final List<Group> groups;
    private final boolean trainBatchNorm;
    private int frozenBelow;

    /**
     * @param trainBatchNorm keep normalisation scales and shifts trainable in frozen groups (fastai's
     *                       train_bn=True): a pretrained body's statistics must adapt to new images
     */
    public LayerGroups(List<Group> groups, boolean trainBatchNorm) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("need at least one layer group");
        }
        this.groups = List.copyOf(groups);
        this.trainBatchNorm = trainBatchNorm;
    }

    /**
     * Groups for a network whose body's children are [stem, layer1, layer2, layer3, layer4] (the layout
     * {@code Networks} builds) or any other body, split where {@link #splitPoint} says.
     */
    public static LayerGroups of(CellNet net) {
        Map<Parameter, String> names = parameterNames(net.network());
        if (net.body().getChildren().size() == 1
                && net.body().getChildren().get(0).getValue() instanceof TorchScriptBody torchScript) {
            return ofTorchScript(torchScript, net, names);
        }
        List<Block> bodyChildren = new ArrayList<>(net.body().getChildren().values());
        int split = splitPoint(bodyChildren.size());
        List<Group> groups = new ArrayList<>();
        if (split > 0 && split < bodyChildren.size()) {
            groups.add(new Group("body[0:" + split + ")", collect(bodyChildren.subList(0, split), names)));
            groups.add(new Group("body[" + split + ":" + bodyChildren.size() + ")",
                    collect(bodyChildren.subList(split, bodyChildren.size()), names)));
        } else {
            groups.add(new Group("body", collect(bodyChildren, names)));
        }
        groups.add(new Group("head", collect(List.of(net.head()), names)));
        return new LayerGroups(groups, true);
    }

    /**
     * A TorchScript body is one opaque block, so it is split by its parameters' top-level module names
     * ({@code layer3.0.conv1.weight} belongs to {@code layer3}): the last two modules with parameters form
     * the second group, as layer3 and layer4 do in fastai's ResNet split. A 1-D weight and the bias beside
     * it are a normalisation layer's scale and shift.
     */
    static LayerGroups ofTorchScript(TorchScriptBody body, CellNet net, Map<Parameter, String> names) {
        List<String> modules = new ArrayList<>();
        List<Pair<String, Parameter>> params = new ArrayList<>();
        java.util.Set<String> normalisation = new java.util.HashSet<>();
        for (Pair<String, Parameter> p : body.module().getParameters()) {
            params.add(p);
            String top = p.getKey().contains(".") ? p.getKey().substring(0, p.getKey().indexOf('.')) : p.getKey();
            if (!modules.contains(top)) {
                modules.add(top);
            }
            if (p.getKey().endsWith(".weight") && p.getValue().getArray().getShape().dimension() == 1) {
                String layer = p.getKey().substring(0, p.getKey().length() - ".weight".length());
                normalisation.add(layer + ".weight");
                normalisation.add(layer + ".bias");
            }
        }
        java.util.Set<String> late = modules.size() >= 3
                ? new java.util.HashSet<>(modules.subList(modules.size() - 2, modules.size()))
                : java.util.Set.of();
        List<NamedParameter> early = new ArrayList<>();
        List<NamedParameter> later = new ArrayList<>();
        for (Pair<String, Parameter> p : params) {
            String top = p.getKey().contains(".") ? p.getKey().substring(0, p.getKey().indexOf('.')) : p.getKey();
            NamedParameter named = new NamedParameter(names.get(p.getValue()), p.getValue(),
                    normalisation.contains(p.getKey()));
            (late.contains(top) ? later : early).add(named);
        }
        List<Group> groups = new ArrayList<>();
        groups.add(new Group("body:" + String.join(",", modules.stream().filter(m -> !late.contains(m)).toList()), early));
        if (!later.isEmpty()) {
            groups.add(new Group("body:" + String.join(",", modules.stream().filter(late::contains).toList()), later));
        }
        groups.add(new Group("head", collect(List.of(net.head()), names)));
        return new LayerGroups(groups, true);
    }

    /** Where the body splits: before layer3 for a five-child ResNet body, in the middle otherwise. */
    static int splitPoint(int children) {
        if (children == 5) {
            return 3;
        }
        return children >= 2 ? children / 2 : 0;
    }

    /** Stable path names of every parameter of a network, as its getParameters() lists them. */
    public static Map<Parameter, String> parameterNames(Block network) {
        Map<Parameter, String> names = new IdentityHashMap<>();
        for (Pair<String, Parameter> p : network.getParameters()) {
            names.put(p.getValue(), p.getKey());
        }
        return names;
    }

    private static List<NamedParameter> collect(List<Block> blocks, Map<Parameter, String> names) {
        List<NamedParameter> out = new ArrayList<>();
        for (Block block : blocks) {
            for (Parameter p : block.getParameters().values()) {
                String name = names.get(p);
                if (name == null) {
                    throw new IllegalStateException("parameter " + p.getName() + " is not part of the network");
                }
                out.add(new NamedParameter(name, p));
            }
        }
        return out;
    }

    public int size() {
        return groups.size();
    }

    public List<Group> groups() {
        return groups;
    }

    public List<List<NamedParameter>> parameterLists() {
        return groups.stream().map(Group::parameters).toList();
    }

    /** Every parameter, groups in order. */
    public List<NamedParameter> all() {
        return groups.stream().flatMap(g -> g.parameters().stream()).toList();
    }

    /** Freezes every group but the last (the head). */
    public void freeze() {
        freezeTo(groups.size() - 1);
    }

    public void unfreeze() {
        freezeTo(0);
    }

    /** Groups before {@code n} stop training; groups from {@code n} on train. Negative n counts from the end. */
    public void freezeTo(int n) {
        int cut = n < 0 ? groups.size() + n : n;
        if (cut < 0 || cut >= groups.size()) {
            throw new IllegalArgumentException("freezeTo(" + n + "): the network has " + groups.size()
                    + " layer groups and at least the last must train");
        }
        for (int g = 0; g < groups.size(); g++) {
            boolean frozen = g < cut;
            for (NamedParameter p : groups.get(g).parameters()) {
                if (p.isRunningStatistic()) {
                    continue;
                }
                boolean freezeThis = frozen && !(trainBatchNorm && p.isNormalisation());
                if (p.parameter().requiresGradient() == freezeThis) {
                    p.parameter().freeze(freezeThis);
                }
            }
        }
        frozenBelow = cut;
    }

    /** The number of leading groups that are frozen. */
    public int frozenBelow() {
        return frozenBelow;
    }
}
