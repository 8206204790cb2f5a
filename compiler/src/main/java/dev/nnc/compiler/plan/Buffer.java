package dev.nnc.compiler.plan;

/**
 * A batch workspace of the generated class: {@code rows × width} floats, row-major, allocated once.
 *
 * @param field the Java field name in the generated class
 * @param width floats per sample
 * @param role what it holds, for the field's comment
 */
public record Buffer(String field, int width, String role) {}
