package io.driftguard.operators.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The math and sketch packages stay free of Flink, Kafka and the other modules; ND4J stays inside
 * the training package.
 */
class LayeringTest {

    private static final JavaClasses OPERATORS =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.driftguard.operators");

    @Test
    void statisticsAndSketchesImportNoFlink() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.driftguard.operators.stats..",
                        "io.driftguard.operators.sketch..",
                        "io.driftguard.operators.detect..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
                .check(OPERATORS);
    }

    @Test
    void operatorsKnowNothingOfConnectorsOrJobs() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.driftguard.connectors..", "io.driftguard.jobs..")
                .check(OPERATORS);
    }

    @Test
    void onlyTheTrainingPackageUsesNd4j() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.driftguard.operators.model.train..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.nd4j..", "org.bytedeco..")
                .check(OPERATORS);
    }
}
