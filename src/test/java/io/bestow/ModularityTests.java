package io.bestow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Verifies the module structure and writes its documentation into {@code docs/architecture}. */
class ModularityTests {

    static final ApplicationModules MODULES = ApplicationModules.of(Bestow.class);

    /** Only the console renders pages; no module may depend on it. */
    static final ArchRule NOTHING_DEPENDS_ON_CONSOLE = noClasses()
            .that()
            .resideOutsideOfPackage("io.bestow.console..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.bestow.console..");

    @Test
    void verifiesModuleStructure() {
        MODULES.verify();
    }

    @Test
    void nothingDependsOnTheConsole() {
        NOTHING_DEPENDS_ON_CONSOLE.check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.bestow"));
    }

    @Test
    void consoleRuleCanFail() {
        var offending =
                new ClassFileImporter().importClasses(DependsOnConsole.class, io.bestow.console.ConsoleProbe.class);
        assertThatThrownBy(() -> NOTHING_DEPENDS_ON_CONSOLE.check(offending)).isInstanceOf(AssertionError.class);
    }

    @Test
    void writesDocumentation() throws IOException {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder("docs/architecture"))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml();
        sortRelations(Path.of("docs/architecture"));
        assertThat(MODULES.getModuleByName("identity")).isPresent();
    }

    /** The Documenter lists relations in no fixed order; sorting them keeps the committed diagrams stable. */
    private static void sortRelations(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            for (var file : files.filter(f -> f.toString().endsWith(".puml")).toList()) {
                var lines = Files.readAllLines(file);
                var relations = lines.stream()
                        .filter(l -> l.startsWith("Rel("))
                        .sorted()
                        .iterator();
                var sorted = lines.stream()
                        .map(l -> l.startsWith("Rel(") ? relations.next() : l)
                        .toList();
                Files.write(file, sorted);
            }
        }
    }

    /** A class outside the console that uses it, to prove the rule catches such a dependency. */
    static class DependsOnConsole {
        io.bestow.console.ConsoleProbe probe;
    }
}
