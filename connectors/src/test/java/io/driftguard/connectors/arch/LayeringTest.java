package io.driftguard.connectors.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Dependencies point one way: jobs -> connectors -> operators. */
class LayeringTest {

    @Test
    void connectorsKnowNothingOfJobWiring() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.driftguard.jobs..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.driftguard.connectors"));
    }
}
