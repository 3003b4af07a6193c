package org.smearscan;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The floors of the design, checked on the compiled classes of src/main: each package may use only those
 * below it, never one above or beside it.
 *
 * <pre>
 * cli                                   parse and delegate
 * workflow                              the main job
 * train.run | evaluate | serve | predict
 * field                                 smear fields: screening, ground truth, composed fields
 * train.callback
 * train (the Learner core, optim, schedule)
 * inference                             CellClassifier, TTA, Grad-CAM, softmax; engines
 * onnx                                  ONNX export of a network (schema compiled from src/main/protobuf)
 * modelfile                             the .smear file
 * model | data                          networks; data sets, splits, cache
 * segment                               red cells of a field photograph (OpenCV)
 * io | stats | chart                    atomic files and run-folder names; AUC; chart styling and PNGs
 * </pre>
 */
@AnalyzeClasses(packages = "org.smearscan", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("org.smearscan.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule floors = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("cli").definedBy("org.smearscan.cli..")
            .layer("workflow").definedBy("org.smearscan.workflow..")
            .layer("train.run").definedBy("org.smearscan.train.run..")
            .layer("evaluate").definedBy("org.smearscan.evaluate..")
            .layer("serve").definedBy("org.smearscan.serve..")
            .layer("predict").definedBy("org.smearscan.predict..")
            .layer("field").definedBy("org.smearscan.field..")
            .layer("train.callback").definedBy("org.smearscan.train.callback..")
            .layer("train").definedBy("org.smearscan.train", "org.smearscan.train.optim..",
                    "org.smearscan.train.schedule..")
            .layer("inference").definedBy("org.smearscan.inference..")
            .layer("onnx").definedBy("org.smearscan.onnx..")
            .layer("modelfile").definedBy("org.smearscan.modelfile..")
            .layer("model").definedBy("org.smearscan.model..")
            .layer("data").definedBy("org.smearscan.data..")
            .layer("segment").definedBy("org.smearscan.segment..")
            .layer("io").definedBy("org.smearscan.io..")
            .layer("stats").definedBy("org.smearscan.stats..")
            .layer("chart").definedBy("org.smearscan.chart..")

            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("workflow").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("train.run").mayOnlyBeAccessedByLayers("workflow", "cli")
            .whereLayer("evaluate").mayOnlyBeAccessedByLayers("workflow", "cli")
            .whereLayer("serve").mayOnlyBeAccessedByLayers("workflow", "cli")
            .whereLayer("predict").mayOnlyBeAccessedByLayers("workflow", "cli")
            .whereLayer("field").mayOnlyBeAccessedByLayers("serve", "predict", "workflow", "cli")
            .whereLayer("segment").mayOnlyBeAccessedByLayers("field", "modelfile", "onnx", "inference", "train",
                    "train.callback", "train.run", "evaluate", "serve", "predict", "workflow", "cli")
            .whereLayer("train.callback").mayOnlyBeAccessedByLayers("train.run", "workflow", "cli")
            .whereLayer("train").mayOnlyBeAccessedByLayers("train.callback", "train.run", "workflow", "cli")
            .whereLayer("inference").mayOnlyBeAccessedByLayers("field", "evaluate", "serve", "predict", "train.run",
                    "workflow", "cli")
            .whereLayer("onnx").mayOnlyBeAccessedByLayers("inference", "evaluate", "serve", "predict",
                    "train.run", "workflow", "cli")
            .whereLayer("modelfile").mayOnlyBeAccessedByLayers("onnx", "inference", "field", "evaluate", "serve",
                    "predict", "train.run", "workflow", "cli")
            .whereLayer("model").mayOnlyBeAccessedByLayers("modelfile", "onnx", "inference", "train", "train.callback",
                    "train.run", "evaluate", "serve", "predict", "workflow", "cli");
}
