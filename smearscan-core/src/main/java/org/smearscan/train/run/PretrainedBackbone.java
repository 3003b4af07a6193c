package org.smearscan.train.run;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.util.ProgressBar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.smearscan.model.Architecture;

/**
 * Pretrained TorchScript bodies fetched through DJL's model zoo machinery (download, checksum of archives,
 * unpacking and caching under DJL's cache folder, {@code DJL_CACHE_DIR}). Needs a network connection the
 * first time; the cached copy is used afterwards.
 */
public final class PretrainedBackbone {
    /**
     * DJL's PyTorch model zoo entry holding torchvision's ImageNet ResNet-18 without its classifier
     * ({@code resnet18_embedding}). Its output is pooled features, which {@link org.smearscan.model.TorchScriptBody}
     * turns into a 1x1 feature map; Grad-CAM on such a body has no spatial resolution to show.
     */
    public static final String IMAGENET_RESNET18 = "djl://ai.djl.pytorch/resnet18_embedding";

    /**
     * A fetched backbone file.
     *
     * @param file   the TorchScript file in DJL's cache
     * @param url    where it came from
     * @param sha256 of the file, for the model's provenance
     */
    public record Fetched(Path file, String url, String sha256) {}

    private PretrainedBackbone() {}

    /** The download address for {@code --pretrained NAME} with an architecture. */
    public static String urlFor(String name, Architecture arch) {
        if (!"imagenet".equals(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("unknown pretrained weights '" + name + "'; SmearScan knows 'imagenet'");
        }
        if (arch != Architecture.RESNET18) {
            throw new IllegalArgumentException("DJL's model zoo has ImageNet weights for resnet18 only (as a "
                    + "TorchScript body); for " + arch + " trace a torchvision body yourself and pass --backbone FILE");
        }
        return IMAGENET_RESNET18;
    }

    /**
     * Downloads (or finds in the cache) the TorchScript model at {@code url}: an {@code http(s)://}
     * address of an archive holding one {@code .pt} file ({@code .zip}, {@code .tar.gz}, {@code .tgz},
     * {@code .tar}; DJL reads any other http address as a model server), or a {@code djl://} model zoo
     * address.
     * DJL's offline switch ({@code ai.djl.offline}, which SmearScan's launcher sets) is lifted for this
     * one explicit request.
     */
    public static Fetched fetch(String url) throws IOException {
        String offline = System.getProperty("ai.djl.offline");
        System.setProperty("ai.djl.offline", "false");
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelUrls(url)
                .optEngine("PyTorch")
                .optProgress(new ProgressBar())
                .build();
        Path modelPath;
        try (ZooModel<NDList, NDList> model = criteria.loadModel()) {
            modelPath = model.getModelPath();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new IOException("cannot fetch the pretrained backbone " + url + ": " + e.getMessage(), e);
        } finally {
            if (offline == null) {
                System.clearProperty("ai.djl.offline");
            } else {
                System.setProperty("ai.djl.offline", offline);
            }
        }
        Path file = torchScriptFile(modelPath, url);
        return new Fetched(file, url, sha256(file));
    }

    private static Path torchScriptFile(Path modelPath, String url) throws IOException {
        if (Files.isRegularFile(modelPath)) {
            return modelPath;
        }
        List<Path> candidates;
        try (Stream<Path> files = Files.walk(modelPath, 2)) {
            candidates = files.filter(p -> p.getFileName().toString().endsWith(".pt")).sorted().toList();
        }
        if (candidates.size() != 1) {
            throw new IOException("the download of " + url + " holds " + candidates.size()
                    + " TorchScript (.pt) files in " + modelPath + ", expected one");
        }
        return candidates.get(0);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
