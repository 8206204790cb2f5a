package dev.nnc.compiler.ast;

import java.util.List;
import java.util.Optional;

/** One statement; {@code position} is that of its first token. Names and numbers are kept as written. */
public sealed interface Statement extends Item {

  /** {@code input 784;} or {@code input 28x28;}: one literal per dimension. */
  record Input(Position position, List<NumberLiteral> dimensions) implements Statement {
    public Input {
      dimensions = List.copyOf(dimensions);
    }
  }

  /** {@code dense UNITS [ACTIVATION] [(name = value, ...)];} */
  record Dense(Position position, NumberLiteral units, Optional<Name> activation, List<Argument> options)
      implements Statement {
    public Dense {
      options = List.copyOf(options);
    }
  }

  /** {@code activation NAME;} */
  record Activation(Position position, Name name) implements Statement {}

  /** {@code dropout RATE;} */
  record Dropout(Position position, NumberLiteral rate) implements Statement {}

  /** {@code flatten;} */
  record Flatten(Position position) implements Statement {}

  /** {@code loss NAME;} */
  record Loss(Position position, Name name) implements Statement {}

  /** {@code optimizer NAME[(name = value, ...)];} */
  record Optimizer(Position position, Name name, List<Argument> arguments) implements Statement {
    public Optimizer {
      arguments = List.copyOf(arguments);
    }
  }

  /** {@code metrics NAME, ...;} */
  record Metrics(Position position, List<Name> names) implements Statement {
    public Metrics {
      names = List.copyOf(names);
    }
  }

  /** {@code train batch N epochs N seed N;}, each setting optional, in any order. */
  record Train(Position position, List<Argument> settings) implements Statement {
    public Train {
      settings = List.copyOf(settings);
    }
  }

  /** A well-formed statement that starts with a word that is not a keyword ({@code dens 10;}). */
  record Unknown(Position position, Name keyword) implements Statement {}

  /**
   * A statement that did not parse; the syntax error is already reported. It is kept so that the
   * checker knows the statement was there (no "missing loss" after a broken {@code loss} statement).
   */
  record Erroneous(Position position, String keyword) implements Statement {}
}
