package dev.nnc.compiler;

import dev.nnc.compiler.check.CheckResult;
import dev.nnc.compiler.check.ModelChecker;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.emit.ModelEmitter;
import dev.nnc.compiler.parse.ModelParser;
import dev.nnc.compiler.parse.ParseResult;
import dev.nnc.compiler.plan.KernelPlan;
import dev.nnc.compiler.plan.Planner;
import java.util.Optional;

/**
 * The one entry point the CLI and the Maven plugin use: parse → check → plan → emit.
 * Never throws on bad input; every problem comes back as a diagnostic.
 */
public final class NncCompiler {
  private NncCompiler() {}

  /** Parses and checks; no code is generated. */
  public static Compilation check(SourceFile source) {
    CheckResult checked = analyze(source);
    return new Compilation(source, checked.diagnostics(), checked.model(), Optional.empty());
  }

  /** Parses, checks and, if there are no errors, generates the model class. */
  public static Compilation compile(SourceFile source, CompileOptions options) {
    CheckResult checked = analyze(source);
    if (checked.model().isEmpty()) {
      return new Compilation(source, checked.diagnostics(), Optional.empty(), Optional.empty());
    }
    KernelPlan plan = Planner.plan(checked.model().get(), options.batchSize());
    GeneratedSource generated = ModelEmitter.emit(plan, options.packageName());
    return new Compilation(source, checked.diagnostics(), checked.model(), Optional.of(generated));
  }

  private static CheckResult analyze(SourceFile source) {
    ParseResult parsed = ModelParser.parse(source);
    return ModelChecker.check(parsed, source);
  }
}
