package dev.nnc.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Bytes to a {@link PrintWriter}, decoded as UTF-8 on every flush: the runtime reports through
 * {@link PrintStream}s, picocli commands write to {@code PrintWriter}s (which tests capture).
 */
final class WriterOutputStream extends OutputStream {
  private final PrintWriter writer;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  private WriterOutputStream(PrintWriter writer) {
    this.writer = writer;
  }

  /** A print stream that flushes into {@code writer} at every line (and every {@code flush}). */
  static PrintStream printStream(PrintWriter writer) {
    return new PrintStream(new WriterOutputStream(writer), true, StandardCharsets.UTF_8);
  }

  @Override
  public void write(int b) {
    pending.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    pending.write(b, off, len);
  }

  @Override
  public void flush() {
    // A multi-byte character split across flushes would be garbled; PrintStream writes whole strings, so it is not.
    writer.write(pending.toString(StandardCharsets.UTF_8));
    pending.reset();
    writer.flush();
  }
}
