/**
 * AdaRNN (Du et al., CIKM 2021) without ND4J: temporal distribution characterization ({@link
 * io.driftguard.operators.model.adarnn.Tdc}) splits a time-ordered history into its most
 * dissimilar periods, and {@link io.driftguard.operators.model.adarnn.AdaRnnConfig} holds the
 * settings of temporal distribution matching, which {@code model.train.AdaRnn} trains.
 */
package io.driftguard.operators.model.adarnn;
