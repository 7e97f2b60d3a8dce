package io.driftguard.operators.model;

import java.util.Objects;

/**
 * A distribution term on a model's hidden layer between the records before a change (the source
 * domain) and after it (the target domain), added to the task loss by the trainer. Rows are
 * standardised inputs; classes are indices, -1 where unknown.
 *
 * <ul>
 *   <li>{@link Kind#MEDA}: {@code lambda * [(1 - mu) MMD^2(h_s, h_t) + mu * sum_c MMD^2(h_s^c,
 *       h_t^c)]}, Gaussian-kernel MMD (biased V-statistic) of the hidden layer on minibatches of
 *       both domains, the class-conditional terms over the classes present on both sides; mu is
 *       MEDA's dynamic factor {@code 1 - d_M / (d_M + sum_c d_c)} with proxy A-distances (the
 *       drift event's {@code mu}).
 *   <li>{@link Kind#ADVERSARIAL}: a domain classifier (one hidden layer) on the hidden layer, trained
 *       to tell the domains apart through a gradient-reversal layer of strength lambda, so that the
 *       representation stops telling them apart (DANN, Ganin et al. 2016); the trainers ramp lambda
 *       over the epochs (DomainTerms.adversarialRamp).
 * </ul>
 *
 * @param kind the term
 * @param lambda its weight
 * @param mu MEDA's dynamic factor in [0, 1] (ignored by the adversarial term)
 * @param source source rows, {@code sourceRows x width}
 * @param sourceRows number of source rows
 * @param sourceClass class of each source row, or -1
 * @param target target rows
 * @param targetRows number of target rows
 * @param targetClass class of each target row (labels, or pseudo-labels), or -1
 * @param classes number of classes (0 for regression)
 * @param seed seed of the minibatch draws
 */
public record Regularization(
        Kind kind,
        double lambda,
        double mu,
        float[] source,
        int sourceRows,
        int[] sourceClass,
        float[] target,
        int targetRows,
        int[] targetClass,
        int classes,
        long seed) {

    /** The kind of term. */
    public enum Kind { MEDA, ADVERSARIAL }

    public Regularization {
        Objects.requireNonNull(kind, "kind");
        if (!(lambda >= 0) || !(mu >= 0 && mu <= 1) || sourceRows < 1 || targetRows < 1
                || sourceClass.length != sourceRows || targetClass.length != targetRows) {
            throw new IllegalArgumentException("regularization: lambda " + lambda + ", mu " + mu + ", "
                    + sourceRows + " source and " + targetRows + " target rows");
        }
    }
}
