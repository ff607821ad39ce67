package dev.agentledger.bench.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * bench's pure packages stay pure (STYLE.md): the schedule and search core takes nanosecond
 * offsets, never reads a clock or starts a thread; the report and projection never reach into the
 * load generator's threads or the local pipeline.
 */
class BenchArchitectureTest {
  private static final JavaClasses BENCH =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.agentledger.bench");

  @Test
  void loadgenCoreIsPure() {
    noClasses()
        .that()
        .resideInAPackage("..bench.loadgen.core..")
        .should()
        .dependOnClassesThat()
        .areAssignableTo(Thread.class)
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("java.io..", "java.nio..", "org.agrona..", "java.util.concurrent..")
        .because("schedules and the find-max search are pure functions of their inputs")
        .check(BENCH);
  }

  @Test
  void projectionDependsOnNoRuntimeMachinery() {
    noClasses()
        .that()
        .resideInAPackage("..bench.projection..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..bench.loadgen..", "..bench.demo..", "org.agrona..")
        .because("the projection is arithmetic over a report and a profile")
        .check(BENCH);
  }
}
