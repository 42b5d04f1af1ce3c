package dev.jobqueue.core.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

class ArchitectureTests {

	private final JavaClasses core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.jobqueue.core");

	@Test
	void coreNeverDependsOnSpring() {
		noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(this.core);
	}

	@Test
	void corePackagesHaveNoCycles() {
		slices().matching("dev.jobqueue.core.(*)..").should().beFreeOfCycles().check(this.core);
	}

	@Test
	void nothingUsesJavaSerializationOrLoadsClassesByName() {
		noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectInputStream")
			.andShould().callMethod(Class.class, "forName", String.class)
			.check(this.core);
	}

}
