package dev.nnc.spark;

import dev.nnc.cli.InMemoryCompiler;
import dev.nnc.compiler.Kernels;
import dev.nnc.runtime.Model;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How any JVM of the job (driver or executor) gets an instance of the model: the bytecode the
 * driver compiled from the model source, or the name of a class already on the class path.
 *
 * <p>It is broadcast once per job; the class is defined once per JVM and bytecode (see
 * {@link #LOADED}), never once per task.
 *
 * <p>Its parts: the model class's name; its bytecode by binary name, or none for a class on the
 * class path; and which kernels the bytecode carries (SCALAR for a class on the class path,
 * whatever it holds).
 */
final class ModelCode implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Classes defined in this JVM, by {@link #id()}, so that every task of every job reuses them. */
  private static final Map<String, Class<? extends Model>> LOADED = new ConcurrentHashMap<>();

  private final String qualifiedName;
  private final Map<String, byte[]> classes;
  private final Kernels kernels;
  /** Computed once: every task looks its model instances up by it. */
  private final String id;

  ModelCode(String qualifiedName, Map<String, byte[]> classes, Kernels kernels) {
    this.qualifiedName = qualifiedName;
    // Sorted, so that the id and the serialized form do not depend on a hash map's order.
    this.classes = new TreeMap<>(classes);
    this.kernels = kernels;
    this.id = digest(qualifiedName, this.classes);
  }

  String qualifiedName() {
    return qualifiedName;
  }

  Kernels kernels() {
    return kernels;
  }

  /** A class that every JVM of the job finds on its class path (the user's jar). */
  static ModelCode onClassPath(String qualifiedName) {
    return new ModelCode(qualifiedName, Map.of(), Kernels.SCALAR);
  }

  /** Names this code: its class name and a digest of its bytecode. */
  String id() {
    return id;
  }

  private static String digest(String qualifiedName, Map<String, byte[]> classes) {
    if (classes.isEmpty()) return qualifiedName;
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> c : classes.entrySet()) {
        sha.update(c.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update(c.getValue());
      }
      return qualifiedName + "@" + HexFormat.of().formatHex(sha.digest(), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** The model class, defined in this JVM on first use. */
  Class<? extends Model> type() {
    return LOADED.computeIfAbsent(id(), key -> load());
  }

  /** A fresh instance of the model, initialized from the source's seed. */
  Model newInstance() {
    try {
      return type().getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot instantiate " + qualifiedName + ": " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate " + qualifiedName + ": " + e, e);
    }
  }

  private Class<? extends Model> load() {
    if (kernels == Kernels.VECTOR && Kernels.bestAvailable() != Kernels.VECTOR) {
      throw new IllegalStateException("model " + qualifiedName + " was compiled with the Vector API kernels, but this JVM"
          + " lacks the module " + Kernels.VECTOR_MODULE + ": start every executor with --add-modules "
          + Kernels.VECTOR_MODULE + " or fit with kernels \"scalar\"");
    }
    ClassLoader parent = Model.class.getClassLoader();
    try {
      Class<?> type = classes.isEmpty()
          ? Class.forName(qualifiedName, true, classLoader())
          : new InMemoryCompiler(List.of(), parent).load(qualifiedName, classes);
      return type.asSubclass(Model.class);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot find the model class " + qualifiedName
          + (classes.isEmpty() ? " on the class path (is the jar that holds it passed to spark-submit?)" : ""), e);
    } catch (ClassCastException e) {
      throw new IllegalStateException(qualifiedName + " is not an nnc model (dev.nnc.runtime.Model)", e);
    }
  }

  /** Spark sets the context loader to the one that sees the user's jars; fall back to ours. */
  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : ModelCode.class.getClassLoader();
  }
}
