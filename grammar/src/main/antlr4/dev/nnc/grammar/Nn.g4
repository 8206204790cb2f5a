/*
 * The nnc model language, v1 (see DESIGN.md, "The language").
 *
 * The grammar only fixes the shape of statements. Names of activations, losses, optimizers,
 * initializers, metrics and arguments are plain IDENTs, so the checker can answer a misspelling
 * with "did you mean"; the same goes for a statement that starts with an unknown word.
 * Syntax errors are recovered per statement (see the compiler's StatementRecoveryStrategy).
 */
grammar Nn;

file
    : (modelBlock | statement)* EOF
    ;

// A header is optional: without it the statements stand at top level.
modelBlock
    : MODEL IDENT LBRACE statement* RBRACE
    ;

statement
    : INPUT shape SEMI                                    # inputStatement
    | DENSE NUMBER IDENT? arguments? SEMI                 # denseStatement
    | ACTIVATION IDENT SEMI                               # activationStatement
    | DROPOUT NUMBER SEMI                                 # dropoutStatement
    | FLATTEN SEMI                                        # flattenStatement
    | LOSS IDENT SEMI                                     # lossStatement
    | OPTIMIZER IDENT arguments? SEMI                     # optimizerStatement
    | METRICS IDENT (COMMA IDENT)* SEMI                   # metricsStatement
    | TRAIN trainSetting* SEMI                            # trainStatement
    | IDENT (~(SEMI | LBRACE | RBRACE | MODEL | INPUT | DENSE | ACTIVATION | DROPOUT
             | FLATTEN | LOSS | OPTIMIZER | METRICS | TRAIN))* SEMI   # unknownStatement
    | SEMI                                                # emptyStatement
    ;

// 784 or 28x28 (one token, since 'x28' would otherwise lex as a name).
shape
    : NUMBER
    | DIMENSIONS
    ;

arguments
    : LPAREN (argument (COMMA argument)*)? RPAREN
    ;

// Keras' 'activation' keyword is a statement keyword too: 'dense 64 (activation = relu)'.
argument
    : argumentName ASSIGN value
    ;

argumentName
    : IDENT
    | ACTIVATION
    ;

value
    : NUMBER
    | IDENT
    ;

trainSetting
    : IDENT NUMBER
    ;

// Keywords are case-sensitive and reserved; they come before IDENT so that they win ties.
MODEL      : 'model';
INPUT      : 'input';
DENSE      : 'dense';
ACTIVATION : 'activation';
DROPOUT    : 'dropout';
FLATTEN    : 'flatten';
LOSS       : 'loss';
OPTIMIZER  : 'optimizer';
METRICS    : 'metrics';
TRAIN      : 'train';

LBRACE : '{';
RBRACE : '}';
LPAREN : '(';
RPAREN : ')';
COMMA  : ',';
ASSIGN : '=';
SEMI   : ';';

DIMENSIONS : DIGITS ('x' DIGITS)+;

// As in Java and Python: 1, -5, 0.001, .5, 5., 1e-3, 2.5E+2. The sign belongs to the literal
// so that 'dense -5;' reaches the checker, which says what is wrong with the value.
NUMBER : '-'? (DIGITS ('.' DIGITS?)? | '.' DIGITS) EXPONENT?;

IDENT : [a-zA-Z_] [a-zA-Z_0-9]*;

LINE_COMMENT : ('#' | '//') ~[\r\n]* -> skip;
WHITESPACE   : [ \t\r\n\f]+ -> skip;

// Any other character. It goes to the hidden channel (nothing else does) so the lexer never
// fails; the compiler reports each run of such characters once.
UNEXPECTED_CHARACTER : . -> channel(HIDDEN);

fragment DIGITS   : [0-9]+;
fragment EXPONENT : [eE] [+-]? DIGITS;
