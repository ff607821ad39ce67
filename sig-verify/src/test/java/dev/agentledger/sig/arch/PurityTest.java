package dev.agentledger.sig.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The arithmetic and batch packages are pure logic: no threads, no clocks, no service layer. */
class PurityTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.agentledger.sig");

  @Test
  void arithmeticAndBatchDoNotUseThreadsClocksOrTheService() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.agentledger.sig.curve25519..", "dev.agentledger.sig.batch..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.agentledger.sig.service..", "java.util.concurrent..")
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
  void bouncyCastleIsNotUsedByMainCode() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.bouncycastle..")
        .check(CLASSES);
  }
}
