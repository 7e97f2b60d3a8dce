/**
 * Training of model weights with ND4J SameDiff: the graph of each architecture ({@link
 * io.driftguard.operators.model.train.ModelGraph}), the trainer ({@link
 * io.driftguard.operators.model.train.Nd4jTrainer}) and the seam for extra loss terms ({@link
 * io.driftguard.operators.model.train.LossTerm}).
 *
 * <p>This is the only package that imports ND4J or JavaCPP ({@code LayeringTest} enforces it).
 * Everything it hands out is plain arrays: an {@code INDArray} must not cross Flink operators or
 * live in Flink state. Training never runs on the record path.
 */
package io.driftguard.operators.model.train;
