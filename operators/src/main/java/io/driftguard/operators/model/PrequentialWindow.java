package io.driftguard.operators.model;

import java.io.Serializable;

/**
 * A window's prequential (test-then-train) error and the model version behind it, added to its
 * drift event.
 *
 * @param modelVersion the version that served the window's last scored record (0: the prior)
 * @param firstVersion the version that served its first scored record
 * @param scored records scored in the window
 * @param labelled labelled records among them: the error's sample size
 * @param accuracy share of correct predictions (classification), else NaN
 * @param mse mean squared error (regression), else NaN
 * @param mae mean absolute error (regression), else NaN
 */
public record PrequentialWindow(
        long modelVersion, long firstVersion, long scored, long labelled, double accuracy, double mse, double mae)
        implements Serializable {

    private static final long serialVersionUID = 1L;
}
