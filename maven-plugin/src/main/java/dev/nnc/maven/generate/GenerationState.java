package dev.nnc.maven.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the last run generated, kept in {@code target/nnc/<execution>.state}: per model its source's
 * hash and the file it produced with that file's hash, under one fingerprint of everything else that
 * shapes the output (nnc's version, the package setting, the output folder).
 *
 * <p>It lets a rebuild skip an unchanged model without even compiling it, and tells which outputs
 * belong to models that are gone. Losing the file costs one full regeneration, nothing else: every
 * model is then recompiled, and write-if-changed still leaves identical outputs untouched.
 *
 * <p>Text, one line per model: {@code model<TAB>sourceHash<TAB>output<TAB>outputHash}. Model paths are
 * relative to the source folder, output paths relative to the project folder, both with '/'.
 */
final class GenerationState {
  /** Bump when the format or its meaning changes; an older file is then simply ignored. */
  static final String FORMAT = "nnc-generate-state 1";

  /** A failed model keeps its output's entry (so it can be cleaned up later) but this source hash. */
  static final String NOT_GENERATED = "-";

  record Entry(String model, String sourceHash, String output, String outputHash) {}

  private final String fingerprint;
  private final Map<String, Entry> entries;

  GenerationState(String fingerprint, Collection<Entry> entries) {
    this.fingerprint = fingerprint;
    this.entries = new TreeMap<>();
    entries.forEach(e -> this.entries.put(e.model(), e));
  }

  static GenerationState empty() {
    return new GenerationState("", List.of());
  }

  String fingerprint() {
    return fingerprint;
  }

  Collection<Entry> entries() {
    return entries.values();
  }

  Optional<Entry> entry(String model) {
    return Optional.ofNullable(entries.get(model));
  }

  /** The state last written there; empty if there is none or it cannot be read, which only costs a full rebuild. */
  static GenerationState read(Path file) {
    try {
      if (!Files.isRegularFile(file)) return empty();
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.size() < 2 || !lines.get(0).equals(FORMAT) || !lines.get(1).startsWith("fingerprint\t")) {
        return empty();
      }
      List<Entry> entries = new ArrayList<>();
      for (String line : lines.subList(2, lines.size())) {
        String[] f = line.split("\t", -1);
        if (f.length != 4) return empty();
        entries.add(new Entry(f[0], f[1], f[2], f[3]));
      }
      return new GenerationState(lines.get(1).substring("fingerprint\t".length()), entries);
    } catch (IOException | RuntimeException e) {
      return empty();
    }
  }

  /** Writes the state; an unchanged state leaves the file alone. */
  void write(Path file) throws IOException {
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    text.append("fingerprint\t").append(fingerprint).append('\n');
    for (Entry e : entries.values()) {
      text.append(e.model()).append('\t').append(e.sourceHash()).append('\t')
          .append(e.output()).append('\t').append(e.outputHash()).append('\n');
    }
    OutputFiles.writeIfChanged(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }
}
