package dev.agentledger.accel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Pure logic stays pure; native runtimes stay in their leaves. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.agentledger.accel");

  @Test
  void theRoutingDecisionHasNoClocksThreadsOrNativeCode() {
    noClasses()
        .that()
        .belongToAnyOf(RoutingTable.class, AutoPolicy.class)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.jocl..", "jcuda..", "java.util.concurrent..", "java.lang.foreign..")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Thread.class)
        .check(CLASSES);
  }

  @Test
  void onlyTheLeavesTouchNativeRuntimes() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..accel.opencl..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.jocl..")
        .check(CLASSES);
    noClasses()
        .that()
        .resideOutsideOfPackage("..accel.cuda..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("jcuda..")
        .check(CLASSES);
  }
}
