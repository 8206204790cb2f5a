package dev.nnc.compiler.check;

import dev.nnc.compiler.ast.Name;
import dev.nnc.compiler.ast.Position;
import dev.nnc.compiler.diag.DiagnosticIds;
import dev.nnc.compiler.diag.Texts;
import java.util.Optional;

/**
 * The model's name, the stem of the generated class name: from the header, taken as written (it
 * must start upper-case, with the capitalized form suggested otherwise, since silently renaming
 * an explicit name would surprise), or else from the file name, capitalized word by word
 * ({@code my_xor-net.nn} → {@code MyXorNet}).
 */
final class ModelNames {
  private ModelNames() {}

  /**
   * The longest model name: the class file is named after it, and file systems take names of at
   * most 255 bytes; the constant pool would take 65,535.
   */
  static final int MAX_LENGTH = 200;

  static Optional<String> fromHeader(Name name, Reporter reporter) {
    String text = name.text();
    if (text.length() > MAX_LENGTH) {
      reporter.error(name.position(), DiagnosticIds.INVALID_MODEL_NAME, tooLong(text));
      return Optional.empty();
    }
    if (Character.isUpperCase(text.charAt(0))) return Optional.of(text);
    String suggestion = fromWords(text).map(s -> " (did you mean '" + s + "'?)").orElse("");
    reporter.error(name.position(), DiagnosticIds.INVALID_MODEL_NAME,
        "model name " + Texts.quoted(text) + " must start with an upper-case letter" + suggestion);
    return Optional.empty();
  }

  static Optional<String> fromFileName(String fileName, Reporter reporter) {
    Optional<String> name = fromWords(withoutExtension(fileName));
    if (name.isPresent() && name.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LENGTH) {
      reporter.error(Position.START, DiagnosticIds.INVALID_MODEL_NAME, tooLong(name.get()) + "; name the model"
          + " with a shorter header 'model Name { ... }'");
      return Optional.empty();
    }
    if (name.isEmpty()) {
      reporter.error(Position.START, DiagnosticIds.INVALID_MODEL_NAME,
          "cannot make a model name from the file name " + Texts.quoted(fileName)
              + "; name the model with a header 'model Name { ... }'");
    }
    return name;
  }

  /**
   * Words (runs of letters and digits) capitalized and joined, if the result is a Java identifier
   * that starts with an upper-case letter.
   */
  static Optional<String> fromWords(String text) {
    StringBuilder name = new StringBuilder();
    for (String word : text.split("[^\\p{L}\\p{N}]+")) {
      if (word.isEmpty()) continue;
      name.appendCodePoint(Character.toUpperCase(word.codePointAt(0)));
      name.append(word, Character.charCount(word.codePointAt(0)), word.length());
    }
    boolean valid = name.length() > 0 && Character.isUpperCase(name.codePointAt(0))
        && name.codePoints().allMatch(Character::isJavaIdentifierPart);
    return valid ? Optional.of(name.toString()) : Optional.empty();
  }

  private static String tooLong(String name) {
    return "model name " + Texts.quoted(name) + " is " + name.length() + " characters long, more than the "
        + MAX_LENGTH + " a class name may have here";
  }

  private static String withoutExtension(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot > 0 ? fileName.substring(0, dot) : fileName;
  }
}
