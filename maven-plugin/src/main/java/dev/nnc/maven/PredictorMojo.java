package dev.nnc.maven;

import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.GeneratedPredictor;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.OutputFiles;
import dev.nnc.compiler.diag.Diagnostic;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.runtime.NncDataException;
import dev.nnc.runtime.Weights;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Compiles one trained model into its standalone predictor: {@code <Name>Predictor}, the forward
 * pass only, needing nothing but {@code java.base} at run time, as {@code nnc compile --inference}
 * writes it. The Java source goes to {@code outputDirectory} (a compile source root) and its weights
 * resource {@code <Name>Predictor.weights} to {@code resourceDirectory} (a resource root), so that the
 * jar holds both side by side. Files whose content is unchanged are not rewritten.
 *
 * <p>The weights must exist when the goal runs (a {@code .npz} as {@code nnc train --save} or
 * {@code Weights.save} writes it); a missing file fails the build with a message that says so.
 */
@Mojo(name = "predictor", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class PredictorMojo extends AbstractMojo {

  /** The model file. */
  @Parameter(property = "nnc.model", required = true)
  private File model;

  /** Its trained weights, a NumPy {@code .npz} in Keras' names and layout. */
  @Parameter(property = "nnc.weights", required = true)
  private File weights;

  /**
   * The predictor's Java package. When not set: the model's folder below {@code sourceDirectory}
   * (as the {@code generate} goal names packages), else none.
   */
  @Parameter(property = "nnc.packageName")
  private String packageName;

  /** Where models live, for the default package. */
  @Parameter(property = "nnc.sourceDirectory", defaultValue = "${project.basedir}/src/main/nn", required = true)
  private File sourceDirectory;

  /** Where the predictor's Java source goes; added to the project's compile source roots. */
  @Parameter(defaultValue = "${project.build.directory}/generated-sources/nnc-predictor", required = true)
  private File outputDirectory;

  /** Where its weights resource goes; added to the project's resources. */
  @Parameter(defaultValue = "${project.build.directory}/generated-resources/nnc-predictor", required = true)
  private File resourceDirectory;

  /**
   * {@code vector} (the default): plain Java kernels plus Vector API ones, used where the JVM runs
   * with {@code jdk.incubator.vector}; the class then compiles with {@code --add-modules
   * jdk.incubator.vector} (javac refuses it together with {@code release}: use source/target) and
   * runs on any JVM. {@code scalar}: plain Java only, compiles anywhere.
   */
  @Parameter(property = "nnc.kernels", defaultValue = "vector")
  private String kernels;

  /** Skips the goal. */
  @Parameter(property = "nnc.skip", defaultValue = "false")
  private boolean skip;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("nnc: skipped");
      return;
    }
    Path modelFile = model.toPath();
    Path weightsFile = weights.toPath();
    if (!Files.isRegularFile(weightsFile)) {
      throw new MojoFailureException("nnc: the weights " + weightsFile + " do not exist: train " + modelFile.getFileName()
          + " and save its weights there first (nnc train --save, or Weights.save), or set <weights>");
    }
    SourceFile source;
    try {
      source = SourceFile.read(modelFile);
    } catch (IOException e) {
      throw new MojoFailureException("nnc: cannot read " + modelFile + ": " + e.getMessage(), e);
    }
    Compilation checked = NncCompiler.check(source);
    for (Diagnostic d : checked.diagnostics()) {
      String line = d.render(source).lines().findFirst().orElse("");
      if (d.severity() == Diagnostic.Severity.ERROR) getLog().error(line);
      else getLog().warn(line);
    }
    if (checked.hasErrors() || checked.model().isEmpty()) {
      throw new MojoFailureException("nnc: " + modelFile + " has errors (listed above)");
    }
    CheckedModel checkedModel = checked.model().get();
    String pkg = packageName();
    java.util.Optional<String> packageProblem = CompileOptions.packageNameProblem(pkg);
    if (packageProblem.isPresent()) {
      throw new MojoFailureException("nnc: <packageName>: " + packageProblem.get());
    }

    Map<String, float[]> trained;
    try {
      trained = Weights.read(weightsFile, NncCompiler.parameterShapes(checkedModel), checkedModel.name());
    } catch (NncDataException e) {
      throw new MojoFailureException("nnc: " + e.getMessage(), e);
    }
    GeneratedPredictor predictor = NncCompiler.predictor(checkedModel,
        CompileOptions.inPackage(pkg).withKernels(kernels()), trained);
    Path java = outputDirectory.toPath().resolve(predictor.source().relativePath());
    Path resource = resourceDirectory.toPath().resolve(predictor.resourcePath());
    try {
      boolean written = OutputFiles.writeIfChanged(java, predictor.source().code().getBytes(StandardCharsets.UTF_8));
      written |= OutputFiles.writeIfChanged(resource, predictor.weights());
      getLog().info("nnc: " + modelFile.getFileName() + " + " + weightsFile.getFileName() + " -> "
          + predictor.source().qualifiedName() + (written ? "" : " (up to date)"));
    } catch (IOException e) {
      throw new MojoExecutionException("nnc: cannot write the predictor: " + e, e);
    }
    project.addCompileSourceRoot(outputDirectory.toString());
    Resource weightsRoot = new Resource();
    weightsRoot.setDirectory(resourceDirectory.toString());
    project.addResource(weightsRoot);
  }

  private String packageName() {
    if (packageName != null) return packageName.trim();
    Path folder = model.toPath().toAbsolutePath().normalize().getParent();
    Path root = sourceDirectory.toPath().toAbsolutePath().normalize();
    if (folder == null || !folder.startsWith(root)) return "";
    return root.relativize(folder).toString().replace(File.separatorChar, '.');
  }

  private Kernels kernels() throws MojoFailureException {
    try {
      return Kernels.valueOf(kernels.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("<kernels> must be vector or scalar, not '" + kernels + "'");
    }
  }
}
