package dev.nnc.maven.generate;

import dev.nnc.compiler.Kernels;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One run of the generator, free of Maven types so that it can be tested on a temporary folder.
 *
 * @param projectDirectory the project's folder; state entries are relative to it
 * @param sourceDirectory where the models are; it need not exist
 * @param outputDirectory the Java source root to write to
 * @param stateFile where to keep what this run generated (see {@link GenerationState})
 * @param packageName the package for every model; empty to take it from each model's folder
 * @param includes patterns of models to compile, relative to {@code sourceDirectory}
 * @param excludes patterns of models to leave out, winning over {@code includes}
 * @param generatorVersion what produced the code; a different value regenerates every model
 * @param kernels which dense kernels the generated classes carry
 */
public record GenerateRequest(
    Path projectDirectory,
    Path sourceDirectory,
    Path outputDirectory,
    Path stateFile,
    Optional<String> packageName,
    List<String> includes,
    List<String> excludes,
    String generatorVersion,
    Kernels kernels) {

  public static final List<String> DEFAULT_INCLUDES = List.of("**/*.nn");

  public GenerateRequest {
    projectDirectory = projectDirectory.toAbsolutePath().normalize();
    sourceDirectory = projectDirectory.resolve(sourceDirectory).normalize();
    outputDirectory = projectDirectory.resolve(outputDirectory).normalize();
    stateFile = projectDirectory.resolve(stateFile).normalize();
    packageName = packageName.filter(p -> !p.isBlank()).map(String::trim);
    includes = includes == null || includes.isEmpty() ? DEFAULT_INCLUDES : List.copyOf(includes);
    excludes = excludes == null ? List.of() : List.copyOf(excludes);
    kernels = kernels == null ? Kernels.SCALAR : kernels;
  }
}
