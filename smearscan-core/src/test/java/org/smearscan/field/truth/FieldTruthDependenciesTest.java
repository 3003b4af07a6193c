package org.smearscan.field.truth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Ground truth and its scores sit low, beside segmentation: the screen, the report and the command line use
 * them, so they may use nothing of SmearScan but boxes, statistics and atomic files.
 */
@AnalyzeClasses(packages = "org.smearscan.field.truth", importOptions = ImportOption.DoNotIncludeTests.class)
class FieldTruthDependenciesTest {

    @ArchTest
    static final ArchRule onlyBoxesStatisticsFilesAndJackson = classes().that()
            .resideInAPackage("org.smearscan.field.truth..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson..",
                    "org.smearscan.field.truth..", "org.smearscan.segment..", "org.smearscan.stats..",
                    "org.smearscan.io..");
}
