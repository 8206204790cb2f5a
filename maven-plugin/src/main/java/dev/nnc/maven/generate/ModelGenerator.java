package dev.nnc.maven.generate;

import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.Diagnostic;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.maven.generate.GenerateResult.ModelResult;
import dev.nnc.maven.generate.GenerateResult.Outcome;
import dev.nnc.maven.generate.GenerationState.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns a source folder of models into Java sources, incrementally: scan, skip what is up to date,
 * compile the rest, write what changed, remove what is stale, remember. Knows nothing of Maven.
 */
public final class ModelGenerator {

  /** Runs the request; model problems come back in the result, only I/O failures are thrown. */
  public GenerateResult generate(GenerateRequest request) throws IOException {
    Run run = new Run(request);
    return run.execute();
  }

  /** The state of one {@link #generate} call. */
  private static final class Run {
    private final GenerateRequest request;
    private final GenerationState previous;
    private final boolean sameGenerator;
    private final List<ModelResult> models = new ArrayList<>();
    private final List<Entry> entries = new ArrayList<>();
    private final List<Path> removed = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    /** Output (relative to the project) → the model that produced it, to catch two models writing one class. */
    private final Map<String, Path> claimed = new HashMap<>();

    Run(GenerateRequest request) {
      this.request = request;
      this.previous = GenerationState.read(request.stateFile());
      this.sameGenerator = previous.fingerprint().equals(fingerprint(request));
    }

    GenerateResult execute() throws IOException {
      Optional<String> packageProblem = request.packageName().flatMap(CompileOptions::packageNameProblem);
      if (packageProblem.isPresent()) {
        errors.add("<packageName> " + packageProblem.get());
        return result();
      }
      for (Path model : scan()) {
        generate(model);
      }
      removeStale();
      new GenerationState(fingerprint(request), entries).write(request.stateFile());
      return result();
    }

    private GenerateResult result() {
      return new GenerateResult(models, removed, errors, warnings);
    }

    /** The models under the source folder that the includes select and the excludes do not, in a stable order. */
    private List<Path> scan() throws IOException {
      Path root = request.sourceDirectory();
      if (!Files.isDirectory(root)) return List.of();
      PathPatterns includes = PathPatterns.of(request.includes());
      PathPatterns excludes = PathPatterns.of(request.excludes());
      try (Stream<Path> files = Files.walk(root)) {
        return files.filter(Files::isRegularFile)
            .filter(f -> {
              String relative = slashed(root.relativize(f));
              return includes.matches(relative) && !excludes.matches(relative);
            })
            .sorted()
            .toList();
      }
    }

    private void generate(Path model) throws IOException {
      String key = slashed(request.sourceDirectory().relativize(model));
      // The state file keeps one model a line, its fields split by tabs; a path holding a line end
      // or a tab could forge entries there, so such a model is refused.
      if (key.chars().anyMatch(Character::isISOControl)) {
        errors.add(dev.nnc.compiler.diag.Texts.shown(model.toString()) + ": error: the path holds a control character"
            + " (a tab or a line end, say); rename the file");
        return;
      }
      byte[] bytes = Files.readAllBytes(model);
      String sourceHash = OutputFiles.sha256(bytes);
      Optional<Entry> before = previous.entry(key);

      if (sameGenerator && before.isPresent() && isUpToDate(before.get(), sourceHash)) {
        Path output = request.projectDirectory().resolve(before.get().output());
        if (claim(before.get().output(), model)) {
          entries.add(before.get());
          models.add(new ModelResult(model, Outcome.UP_TO_DATE, Optional.of(output)));
        } else {
          failed(model, before);
        }
        return;
      }

      Optional<String> packageName = packageFor(model, key);
      if (packageName.isEmpty()) {
        failed(model, before);
        return;
      }
      // Diagnostics name the model by its full path, as javac does in a Maven build: unambiguous in a
      // multi-module build, and IDE consoles make it a link. The bare file name names the model.
      SourceFile source;
      try {
        source = SourceFile.decode(model.toString(), model.getFileName().toString(), bytes);
      } catch (SourceFile.NotUtf8Exception e) {
        errors.add(e.getMessage());
        failed(model, before);
        return;
      }
      Compilation compilation;
      try {
        compilation = NncCompiler.compile(source, CompileOptions.inPackage(packageName.get()).withKernels(request.kernels()));
      } catch (RuntimeException e) {
        // The compiler reports bad input as diagnostics; an exception is a bug in nnc, so keep its trace.
        throw new IllegalStateException("nnc failed on " + model + "; this is a bug in nnc, please report it with the model", e);
      }
      compilation.diagnostics().stream()
          .filter(d -> d.severity() == Diagnostic.Severity.WARNING)
          .forEach(d -> warnings.add(d.headline()));
      if (compilation.hasErrors() || compilation.generated().isEmpty()) {
        compilation.diagnostics().stream()
            .filter(d -> d.severity() == Diagnostic.Severity.ERROR)
            .limit(Compilation.MAX_SHOWN)
            .forEach(d -> errors.add(d.headline()));
        if (compilation.diagnostics().size() > Compilation.MAX_SHOWN) errors.add(compilation.moreThanShown());
        failed(model, before);
        return;
      }

      GeneratedSource generated = compilation.generated().get();
      Path output = request.outputDirectory().resolve(generated.relativePath());
      String outputKey = slashed(request.projectDirectory().relativize(output));
      if (!claim(outputKey, model)) {
        failed(model, before);
        return;
      }
      byte[] code = generated.code().getBytes(StandardCharsets.UTF_8);
      boolean written = OutputFiles.writeIfChanged(output, code);
      entries.add(new Entry(key, sourceHash, outputKey, OutputFiles.sha256(code)));
      models.add(new ModelResult(model, written ? Outcome.WRITTEN : Outcome.UNCHANGED, Optional.of(output)));
      if (packageName.get().isEmpty()) {
        warnings.add(model + ": " + generated.simpleName() + " is generated in the default package, which other"
            + " packages cannot import; move the model into a folder (its path becomes the package) or set <packageName>");
      }
    }

    /** Same source, and the output is still there exactly as written (not edited, not deleted). */
    private boolean isUpToDate(Entry entry, String sourceHash) throws IOException {
      return entry.sourceHash().equals(sourceHash)
          && entry.outputHash().equals(OutputFiles.sha256(request.projectDirectory().resolve(entry.output())));
    }

    /**
     * A failed model keeps its previous output (a broken edit should not make every class that uses
     * the model fail too) and its entry without a hash, so it is recompiled next time and its output
     * is still removed if the model goes away.
     */
    private void failed(Path model, Optional<Entry> before) {
      Optional<Path> output = Optional.empty();
      if (before.isPresent() && !claimed.containsKey(before.get().output())) {
        Entry e = before.get();
        claimed.put(e.output(), model);
        entries.add(new Entry(e.model(), GenerationState.NOT_GENERATED, e.output(), e.outputHash()));
        output = Optional.of(request.projectDirectory().resolve(e.output()));
      }
      models.add(new ModelResult(model, Outcome.FAILED, output));
    }

    /** Reserves an output file for a model; false (with an error) if an earlier model already generates it. */
    private boolean claim(String outputKey, Path model) {
      Path other = claimed.putIfAbsent(outputKey, model);
      if (other == null) return true;
      errors.add(model + ": error: generates " + outputKey + ", as " + other + " does already;"
          + " rename one of the models (the file name or its 'model Name' header) or move it to another package");
      return false;
    }

    /** The configured package, else the model's folder below the source folder ({@code com/acme/m.nn} → {@code com.acme}). */
    private Optional<String> packageFor(Path model, String key) {
      if (request.packageName().isPresent()) return request.packageName();
      int slash = key.lastIndexOf('/');
      String derived = slash < 0 ? "" : key.substring(0, slash).replace('/', '.');
      Optional<String> problem = CompileOptions.packageNameProblem(derived);
      if (problem.isEmpty()) return Optional.of(derived);
      errors.add(model + ": error: its folder '" + key.substring(0, slash) + "' cannot be its package: " + problem.get()
          + "; rename the folder or set <packageName>");
      return Optional.empty();
    }

    /** Deletes what earlier runs generated for models that no longer produce it. */
    private void removeStale() throws IOException {
      Set<String> kept = new HashSet<>(claimed.keySet());
      for (Entry old : previous.entries()) {
        if (kept.contains(old.output())) continue;
        Path output = request.projectDirectory().resolve(old.output()).normalize();
        if (OutputFiles.deleteAndPrune(output, request.outputDirectory())) {
          removed.add(output);
        }
      }
    }
  }

  /** Everything besides a model's own text that decides its output; when it changes, every model is regenerated. */
  private static String fingerprint(GenerateRequest request) {
    return request.generatorVersion()
        + "|package=" + request.packageName().orElse("<folders>")
        + "|output=" + slashed(request.projectDirectory().relativize(request.outputDirectory()))
        + "|kernels=" + request.kernels();
  }

  /** The path's names joined with '/': a backslash within a name (legal on Unix) stays part of that name. */
  private static String slashed(Path relative) {
    return java.util.stream.StreamSupport.stream(relative.spliterator(), false)
        .map(Path::toString).collect(java.util.stream.Collectors.joining("/"));
  }
}
