package dev.nnc.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.nnc.compiler.check.ModelChecker;
import dev.nnc.compiler.parse.ModelParser;
import org.junit.jupiter.api.Test;

/** docs/diagnostics.md documents exactly the ids the compiler has (one "### `id`" heading each). */
class DiagnosticIdsDocumentedTest {
  // Tests run in the module's folder; the docs live at the root of the reactor.
  private static final Path DOC = Path.of("..", "docs", "diagnostics.md");

  @Test
  void everyIdIsDocumentedAndEveryDocumentedIdExists() throws IOException, IllegalAccessException {
    Set<String> documented = new TreeSet<>();
    Matcher heading = Pattern.compile("(?m)^### `([a-z-]+)`").matcher(Files.readString(DOC));
    while (heading.find()) documented.add(heading.group(1));

    Set<String> ids = new TreeSet<>();
    for (Field field : DiagnosticIds.class.getFields()) ids.add((String) field.get(null));
    assertEquals(ids, documented);
  }

  /** Each example (a code block, then the headline in backquotes) gives exactly that headline, among others. */
  @Test
  void everyExampleGivesItsDocumentedHeadline() throws IOException {
    Matcher example = Pattern.compile("```\n((?:(?!```).)*)```\n`(m\\.nn:[^`]*)`", Pattern.DOTALL).matcher(Files.readString(DOC));
    int examples = 0;
    while (example.find()) {
      SourceFile source = SourceFile.of("m.nn", example.group(1));
      List<String> headlines = ModelChecker.check(ModelParser.parse(source), source).diagnostics().stream()
          .map(Diagnostic::headline).toList();
      assertTrue(headlines.contains(example.group(2)), example.group(2) + " not in " + headlines);
      examples++;
    }
    assertTrue(examples >= 25, "examples found: " + examples);
  }
}
