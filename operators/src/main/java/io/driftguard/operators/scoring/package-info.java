/**
 * The deployed model in the stream: the scoring operator (test-then-train predictions, prequential
 * error per window, retrain triggers), the asynchronous trainer and the version assigner. The
 * model's math lives in {@code io.driftguard.operators.model}; ND4J only in its {@code train}
 * package.
 */
package io.driftguard.operators.scoring;
