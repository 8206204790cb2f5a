package dev.nnc.maven;

import dev.nnc.compiler.Kernels;
import dev.nnc.maven.generate.GenerateRequest;
import dev.nnc.maven.generate.GenerateResult;
import dev.nnc.maven.generate.GenerateResult.Outcome;
import dev.nnc.maven.generate.GeneratorVersion;
import dev.nnc.maven.generate.ModelGenerator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Compiles nnc models ({@code .nn} files) into Java sources, one {@code <Name>Model} class per model,
 * and adds the output folder to the project's compile source roots.
 *
 * <p>Incremental: a model whose text is unchanged since the last build is not recompiled, a Java file
 * whose text would not change is not rewritten, and the class of a model that was deleted is removed.
 * A model with errors fails the build with one line per problem, {@code FILE:LINE:COL: error: ...}.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {

  /** The folder holding the models. A model's folder below it becomes its package unless {@code packageName} is set. */
  @Parameter(property = "nnc.sourceDirectory", defaultValue = "${project.basedir}/src/main/nn", required = true)
  private File sourceDirectory;

  /** Where the generated Java sources go; added to the project's compile source roots. */
  @Parameter(property = "nnc.outputDirectory", defaultValue = "${project.build.directory}/generated-sources/nnc", required = true)
  private File outputDirectory;

  /**
   * The Java package of every generated class. When not set, each model's package is its folder below
   * {@code sourceDirectory}, as protoc lays out its output: {@code src/main/nn/com/acme/mnist.nn} gives
   * {@code com.acme.MnistModel}.
   */
  @Parameter(property = "nnc.packageName")
  private String packageName;

  /**
   * Which files below {@code sourceDirectory} are models, as Maven-style patterns relative to it
   * ({@code **} spans folders). Default: {@code **}{@code /*.nn}.
   */
  @Parameter
  private List<String> includes;

  /** Files below {@code sourceDirectory} to leave out even if included, as Maven-style patterns. */
  @Parameter
  private List<String> excludes;

  /**
   * The generated classes' dense kernels: {@code scalar} (plain loops; compile and run anywhere) or
   * {@code vector} (the Vector API, about three times faster; the project must then compile and run
   * with {@code --add-modules jdk.incubator.vector}).
   */
  @Parameter(property = "nnc.kernels", defaultValue = "scalar")
  private String kernels;

  /** Skips the goal: nothing is generated, and the output folder is not added as a source root. */
  @Parameter(property = "nnc.skip", defaultValue = "false")
  private boolean skip;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
  private MojoExecution mojoExecution;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("nnc: skipped");
      return;
    }
    GenerateRequest request = request();
    GenerateResult result;
    try {
      result = new ModelGenerator().generate(request);
    } catch (IOException e) {
      throw new MojoExecutionException("nnc: " + e, e);
    } catch (IllegalStateException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
    report(result);
    // Added even when the build is about to fail, so that an IDE keeps seeing the last good classes.
    project.addCompileSourceRoot(request.outputDirectory().toString());
    if (result.failed()) {
      long failedModels = result.count(Outcome.FAILED);
      throw new MojoFailureException("nnc: " + plural(result.errors().size(), "error")
          + (failedModels > 0 ? " in " + plural(failedModels, "model") : "") + " (listed above)");
    }
  }

  private GenerateRequest request() throws MojoFailureException {
    // One state file per execution: two executions with different folders must not take each other's
    // outputs for stale ones.
    Path stateFile = Path.of(project.getBuild().getDirectory(), "nnc", mojoExecution.getExecutionId() + ".state");
    String version = mojoExecution.getMojoDescriptor().getPluginDescriptor().getVersion();
    return new GenerateRequest(
        project.getBasedir().toPath(),
        sourceDirectory.toPath(),
        outputDirectory.toPath(),
        stateFile,
        Optional.ofNullable(packageName),
        includes,
        excludes,
        GeneratorVersion.of(version),
        kernels());
  }

  private Kernels kernels() throws MojoFailureException {
    try {
      return Kernels.valueOf(kernels.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("<kernels> must be scalar or vector, not '" + kernels + "'");
    }
  }

  /** One {@code [ERROR]} line per problem and no more, then a one-line summary of the models. */
  private void report(GenerateResult result) {
    result.warnings().forEach(getLog()::warn);
    result.errors().forEach(getLog()::error);
    result.models().stream()
        .filter(m -> m.outcome() == Outcome.WRITTEN)
        .forEach(m -> getLog().info("nnc: " + m.source().getFileName() + " -> " + m.output().map(this::shown).orElse(null)));
    result.removed().forEach(p -> getLog().info("nnc: removed " + shown(p) + " (its model is gone)"));
    if (result.models().isEmpty()) {
      getLog().info("nnc: no models in " + sourceDirectory);
      return;
    }
    StringBuilder summary = new StringBuilder("nnc: ").append(plural(result.models().size(), "model"));
    String separator = ": ";
    for (Outcome outcome : Outcome.values()) {
      long n = result.count(outcome);
      if (n > 0) {
        summary.append(separator).append(n).append(' ').append(outcome.label());
        separator = ", ";
      }
    }
    getLog().info(summary);
  }

  /** A path relative to the project, for short info lines (problems keep full paths, as javac's do). */
  private Path shown(Path path) {
    try {
      return project.getBasedir().toPath().toAbsolutePath().relativize(path);
    } catch (IllegalArgumentException e) { // another drive
      return path;
    }
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
