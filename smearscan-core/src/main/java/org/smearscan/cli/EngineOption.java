package org.smearscan.cli;

import org.smearscan.inference.EngineKind;
import picocli.CommandLine.ITypeConverter;

/** Reads {@code --engine pytorch|onnxruntime}. */
final class EngineOption implements ITypeConverter<EngineKind> {
    static final String DESCRIPTION = "pytorch or onnxruntime (ONNX Runtime: the same network exported to ONNX,"
            + " from the .smear file or an exported .onnx; no Grad-CAM). Default: ${DEFAULT-VALUE}.";

    @Override
    public EngineKind convert(String value) {
        return EngineKind.parse(value);
    }
}
