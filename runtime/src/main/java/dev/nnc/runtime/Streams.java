package dev.nnc.runtime;

import java.io.IOException;
import java.io.InputStream;

/** Reading big arrays from files. */
final class Streams {
  private Streams() {}

  /** Bytes one read asks for at most (see {@link #readNBytes}). */
  private static final int PIECE = 1 << 20;

  /**
   * {@code in.readNBytes(b, off, len)} in reads of at most 1 MB: a file's stream hands a big read
   * straight to its file channel, which reads into a heap array through a direct buffer of the
   * read's size and keeps that buffer for the thread (MNIST's raw training images in one read: 47 MB
   * more of peak memory).
   *
   * @return the bytes read: {@code len}, or fewer at the end of the stream
   */
  static int readNBytes(InputStream in, byte[] b, int off, int len) throws IOException {
    int got = 0;
    while (got < len) {
      int piece = Math.min(PIECE, len - got);
      int read = in.readNBytes(b, off + got, piece);
      got += read;
      if (read < piece) break;
    }
    return got;
  }
}
