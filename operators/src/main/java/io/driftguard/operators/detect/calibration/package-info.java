/**
 * Per-key calibration of drift decisions: a key's own history of window-to-window statistics
 * under no confirmed change serves as the null distribution for the next statistic, so that the
 * false-alarm rate follows a budget given as an expected run length in windows, also for
 * autocorrelated and seasonal series where within-window permutation p-values are invalid.
 *
 * <p>Plain Java, no Flink types: the state serialises itself ({@link
 * io.driftguard.operators.detect.calibration.KeyCalibration#toBytes()}).
 */
package io.driftguard.operators.detect.calibration;
