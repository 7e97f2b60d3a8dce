package io.driftguard.operators.model;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of the deployed model: what it predicts, its shape, when it retrains and how a
 * candidate is validated.
 *
 * @param task classification or regression
 * @param kind the architecture kind
 * @param hidden hidden layer sizes (ignored for {@code linear})
 * @param steps records per GRU input (1 for the other kinds)
 * @param scope one model per key, or one shared by all keys
 * @param adapt {@code none} keeps the initial model frozen; {@code retrain} fine-tunes on alarms
 * @param initialRecords labelled records of a key before its first model is trained (the prior
 *     predicts until then)
 * @param minRetrainRecords labelled records after the change a retrain waits for
 * @param maxTrainRecords newest labelled records a training run takes at most (the newest fifth
 *     is held out for validation)
 * @param train optimiser settings
 * @param acceptMargin relative margin by which a candidate's validation loss must undercut the
 *     serving version's: accepted when {@code candidate <= serving * (1 - margin)}
 * @param errorBlock labelled records per block of the error-drift test
 * @param errorAlpha one-sided significance of the error-drift test per block
 * @param seed seed of initialisation and batch order
 * @param strategies the adaptation strategies a retrain tries (each a candidate; the best on the
 *     held-out rows is judged by the gate); empty under {@code adapt: none}
 * @param freezeLower hidden layers kept frozen by the {@code fine-tune} strategy (from the input)
 * @param pastMargin how much more loss than the serving version a candidate may have on the samples
 *     kept of earlier regimes (absolute, error rate or MSE); -1 turns the check off (it is still
 *     measured and recorded)
 * @param lagLabels the key's previous labels appended to each record's inputs ({@code
 *     model.lag-labels}): 0 reads the features only; N reads the labels of the key's N previous
 *     labelled records among its buffered ones, one-hot per lag for classification, the raw targets
 *     for regression (temporally augmented, after Zliobaite et al.)
 */
public record ModelSettings(
        Task task,
        ModelKind kind,
        int[] hidden,
        int steps,
        Scope scope,
        Adapt adapt,
        int initialRecords,
        int minRetrainRecords,
        int maxTrainRecords,
        TrainConfig train,
        double acceptMargin,
        int errorBlock,
        double errorAlpha,
        long seed,
        java.util.List<Strategy> strategies,
        int freezeLower,
        double pastMargin,
        int lagLabels) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Model id of the shared model under {@link Scope#SHARED}. */
    public static final String SHARED_ID = "shared";

    /** One model per key or one for all keys. */
    public enum Scope {
        KEY, SHARED;

        public static Scope parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "key", "per-key" -> KEY;
                case "shared", "global" -> SHARED;
                default -> throw new IllegalArgumentException("unknown model scope '" + s + "' (use key or shared)");
            };
        }
    }

    /**
     * An adaptation strategy: how a candidate is trained from the key's records before the change
     * (the source domain) and after it (the target domain).
     */
    public enum Strategy {
        /** Fine-tune the serving weights on the records after the change (a cold start when that loses). */
        RETRAIN,
        /** Fine-tune at a smaller learning rate, lower layers optionally frozen (model transfer). */
        FINE_TUNE,
        /** Train on both domains, the earlier records weighted by the density ratio (instance transfer). */
        WEIGHTS,
        /** Task loss plus MEDA's marginal and class-conditional MMD of the hidden layer (feature transfer). */
        MEDA,
        /** A domain classifier behind gradient reversal on the hidden layer (DANN-style feature transfer). */
        ADVERSARIAL,
        /** Self-training on confident predictions of unlabelled records, class-wise thresholds. */
        PSEUDO,
        /**
         * AdaRNN across the key's history (the records before and after the change): the most
         * dissimilar periods by MMD (TDC), then the GRU trained with a distribution-matching term
         * between periods, boosted per hidden step (TDM). GRU models only; not part of {@code auto}.
         */
        ADARNN;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Strategy parse(String s) {
            for (Strategy st : values()) {
                if (st.cliName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return st;
                }
            }
            throw new IllegalArgumentException("unknown adaptation '" + s + "' (use none, retrain, fine-tune,"
                    + " weights, meda, adversarial, pseudo, adarnn, a comma-separated list of them, or auto)");
        }
    }

    /**
     * Parses {@code model.adapt}: {@code none}, {@code auto} (every strategy but {@code adarnn},
     * which trains a GRU only and costs the most), or a comma-separated list of strategies.
     */
    public static java.util.List<Strategy> parseStrategies(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return java.util.List.of();
        }
        if (t.equals("auto")) {
            return java.util.Arrays.stream(Strategy.values()).filter(s -> s != Strategy.ADARNN).toList();
        }
        java.util.List<Strategy> out = new java.util.ArrayList<>();
        for (String part : t.split(",")) {
            Strategy st = Strategy.parse(part);
            if (!out.contains(st)) {
                out.add(st);
            }
        }
        return java.util.List.copyOf(out);
    }

    /** What happens on an alarm. */
    public enum Adapt {
        NONE, RETRAIN;

        /** {@code none}, or any strategy list {@link #parseStrategies} accepts (adapting). */
        public static Adapt parse(String s) {
            return parseStrategies(s).isEmpty() ? NONE : RETRAIN;
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ModelSettings {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hidden, "hidden");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(adapt, "adapt");
        Objects.requireNonNull(train, "train");
        hidden = hidden.clone();
        Objects.requireNonNull(strategies, "strategies");
        strategies = java.util.List.copyOf(strategies);
        if (adapt == Adapt.NONE) {
            strategies = java.util.List.of();
        } else if (strategies.isEmpty()) {
            strategies = java.util.List.of(Strategy.RETRAIN);
        }
        check(freezeLower >= 0 && freezeLower <= hidden.length, "model.freeze-layers must be in 0.." + hidden.length);
        check(pastMargin >= 0 || pastMargin == -1, "model.past-margin must be at least 0, or -1 (off), got " + pastMargin);
        check(initialRecords >= 20, "model.initial-records must be at least 20, got " + initialRecords);
        check(minRetrainRecords >= 20, "model.retrain-records must be at least 20, got " + minRetrainRecords);
        check(maxTrainRecords >= Math.max(initialRecords, minRetrainRecords) && maxTrainRecords <= 1_000_000,
                "model.buffer must be in max(initial, retrain records)..1000000, got " + maxTrainRecords);
        check(acceptMargin >= 0 && acceptMargin < 1, "model.accept-margin must be in [0, 1), got " + acceptMargin);
        check(errorBlock >= 20, "model.error-block must be at least 20, got " + errorBlock);
        check(errorAlpha > 0 && errorAlpha < 0.5, "model.error-alpha must be in (0, 0.5), got " + errorAlpha);
        check(lagLabels >= 0 && lagLabels <= 64, "model.lag-labels must be in 0..64, got " + lagLabels);
        check(kind == ModelKind.GRU ? steps >= 1 && steps <= 1024 : true, "GRU steps must be in 1..1024");
        check(kind == ModelKind.GRU || !strategies.contains(Strategy.ADARNN),
                "the adarnn adaptation trains a GRU: set model.kind gru");
    }

    /** Settings retraining with {@link Strategy#RETRAIN} (or not at all), nothing frozen, no past check. */
    public ModelSettings(Task task, ModelKind kind, int[] hidden, int steps, Scope scope, Adapt adapt,
            int initialRecords, int minRetrainRecords, int maxTrainRecords, TrainConfig train, double acceptMargin,
            int errorBlock, double errorAlpha, long seed) {
        this(task, kind, hidden, steps, scope, adapt, initialRecords, minRetrainRecords, maxTrainRecords, train,
                acceptMargin, errorBlock, errorAlpha, seed, java.util.List.of(Strategy.RETRAIN), 0, -1, 0);
    }

    /** Defaults: a feed-forward network with one hidden layer of 32, per key, retraining on alarms. */
    public static ModelSettings defaults(Task task) {
        return new ModelSettings(task, ModelKind.MLP, new int[] {32}, 1, Scope.KEY, Adapt.RETRAIN, 500, 300, 4000,
                new TrainConfig(0.01, 30, 256, 4, 1e-4, 42L), 0.02, 200, 1e-3, 42L,
                java.util.List.of(Strategy.RETRAIN), 0, -1, 0);
    }

    /** A copy reading the key's {@code n} previous labels (0: none). */
    public ModelSettings withLagLabels(int n) {
        return new ModelSettings(task, kind, hidden, steps, scope, adapt, initialRecords, minRetrainRecords,
                maxTrainRecords, train, acceptMargin, errorBlock, errorAlpha, seed, strategies, freezeLower, pastMargin, n);
    }

    /** Records per model input: GRU steps, or 1. */
    public int inputSteps() {
        return kind == ModelKind.GRU ? steps : 1;
    }

    /** The model id serving a record key. */
    public String modelIdOf(String key) {
        return scope == Scope.SHARED ? SHARED_ID : key;
    }

    /** The architecture for {@code d} features and {@code outputs} outputs. */
    public Architecture architecture(int d, int outputs) {
        return new Architecture(kind, d, kind == ModelKind.LINEAR ? new int[0] : hidden, outputs, inputSteps());
    }

    public ModelSettings withAdapt(Adapt a) {
        return new ModelSettings(task, kind, hidden, steps, scope, a, initialRecords, minRetrainRecords,
                maxTrainRecords, train, acceptMargin, errorBlock, errorAlpha, seed, strategies, freezeLower, pastMargin, lagLabels);
    }

    /** A copy adapting with these strategies (none: the first model stays). */
    public ModelSettings withStrategies(java.util.List<Strategy> list) {
        return new ModelSettings(task, kind, hidden, steps, scope, list.isEmpty() ? Adapt.NONE : Adapt.RETRAIN,
                initialRecords, minRetrainRecords, maxTrainRecords, train, acceptMargin, errorBlock, errorAlpha, seed,
                list, freezeLower, pastMargin, lagLabels);
    }

    public ModelSettings withScope(Scope s) {
        return new ModelSettings(task, kind, hidden, steps, s, adapt, initialRecords, minRetrainRecords,
                maxTrainRecords, train, acceptMargin, errorBlock, errorAlpha, seed, strategies, freezeLower, pastMargin, lagLabels);
    }

    public ModelSettings withKind(ModelKind k, int[] h, int st) {
        return new ModelSettings(task, k, h, st, scope, adapt, initialRecords, minRetrainRecords,
                maxTrainRecords, train, acceptMargin, errorBlock, errorAlpha, seed, strategies, freezeLower, pastMargin, lagLabels);
    }

    public ModelSettings withRecords(int initial, int retrain, int buffer) {
        return new ModelSettings(task, kind, hidden, steps, scope, adapt, initial, retrain, buffer, train,
                acceptMargin, errorBlock, errorAlpha, seed, strategies, freezeLower, pastMargin, lagLabels);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
