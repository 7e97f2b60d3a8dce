package io.driftguard.operators.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The scoring state of one key: its newest records (a ring of raw features, times and labels, the
 * data of the next training run), its class names, its prior, its prequential error per window,
 * the error-drift test and the retrain trigger waiting for data.
 *
 * <p>Per record: one prediction (plain Java), a copy of the features into the ring, O(1) updates.
 * Nothing is allocated per record but the prediction's output. The ring holds floats: features
 * are kept to single precision for training, which is what the trainer uses anyway.
 *
 * <p>Missing values: a NaN feature is kept in the ring as NaN. A record is scored with each missing
 * feature replaced by the serving model's training mean of that feature (0 after the schema's
 * standardisation); the rows of a training request have each missing value replaced by the mean
 * of that feature's present values among the request's rows, so no NaN reaches a trainer or the
 * schema it fits.
 *
 * <p>Previous labels ({@code model.lag-labels}, {@link FeatureSchema#labelInputs()}): a record is
 * scored with the labels of the key's newest labelled records before it among its buffered records
 * (its own label is learnt only after its prediction), and each row of a training request carries
 * the labels of the labelled records before it in the buffer, the same way; where the buffer holds
 * fewer, a lag is unknown (an all-zero one-hot, or a missing target imputed like a missing
 * feature). Before the key's first model the prior predicts the previous label (or target) instead
 * of the majority class (or mean). The ring slots of the newest labelled records are cached (not stored: rebuilt from the
 * ring, which is), so the per-record cost is O(lags) and nothing is allocated.
 *
 * <p>The first model: requested once the key has {@code model.initial-records} labelled records.
 * Should the gate reject it, the key asks again, with no alarm, once as many new labelled records
 * have arrived as that request held out for validation ({@link Retrainer}: the newest fifth of its
 * rows), so that every retry is judged on records no earlier gate saw.
 *
 * <p>Not thread safe; the Flink function owns one per key and stores it with {@link #toBytes()}.
 */
public final class KeyScoring {

    /** Window buckets remembered for the drift events that arrive after their windows. */
    private static final int BUCKETS = 4;

    /** Format 2 is format 1 and {@link #retryAt} at the end; format 1 still reads. */
    private static final byte FORMAT = 2;

    // schema of the key
    int d;
    @Nullable String[] names;
    // ring of the newest records
    int cap;
    int steps;
    float[] feat;
    long[] ts;
    float[] label; // class index or raw target; NaN when unlabelled
    int head;
    int size;
    // classes and the prior
    final List<String> classes = new ArrayList<>();
    double[] classCounts = new double[0];
    double labelMean;
    long labelled;
    // error-drift test on the serving version's losses
    final ErrorDriftTest test = new ErrorDriftTest();
    long testedVersion = -1;
    // windows
    final long[] bucketStart = new long[BUCKETS];
    final long[][] bucket = new long[BUCKETS][4]; // scored, labelled, correct, versionFirst
    final double[][] bucketErr = new double[BUCKETS][2]; // squared, absolute
    final long[] bucketLastVersion = new long[BUCKETS];
    int buckets;
    long openCount;
    // retrain trigger
    @Nullable Trigger pending;
    long pendingSince;
    long pendingStart;
    long pendingEnd;
    double pendingMu = Double.NaN;
    boolean inFlight;
    long inFlightLastTs;
    // labelled records the key must have seen before it asks again for a first model (see
    // maybeRequest): 0 until its first request
    long retryAt;
    // wall clock of the request in flight (not stored: a restore re-arms the request)
    long inFlightWallMillis;
    // wall clock of the last alarm not yet answered by a new version, and the version last
    // served (not stored: they only time the swap)
    long alarmWallMillis = -1;
    long lastServed = -1;

    /** Result of {@link #score}; reused, never retained. */
    public static final class Scored {
        /** Why the record was refused, or null. */
        @Nullable public String rejected;
        /** The version that scored it (0: the prior; -1: nothing to predict yet). */
        public long version;
        /** Class name, or null. */
        @Nullable public String predictedClass;
        /** Regression prediction, or NaN. */
        public double predictedValue;
        /** Class probabilities (classification with a model), else null. */
        @Nullable public double[] probabilities;
        /** Class names the probabilities refer to. */
        @Nullable public String[] probabilityClasses;
        /** A training run ready to start, or null. */
        @Nullable public TrainingRequest request;
        /** The model id of the version that scored it (another key's under a cold start), or null. */
        @Nullable public String servingModelId;
        /** A version proved unusable on this key: its number, else 0; {@link #rejected} says why. */
        public long disabledVersion;
        @Nullable public String disabledReason;

        void clear() {
            rejected = null;
            version = -1;
            predictedClass = null;
            predictedValue = Double.NaN;
            probabilities = null;
            probabilityClasses = null;
            request = null;
            servingModelId = null;
            disabledVersion = 0;
            disabledReason = null;
        }
    }

    private transient double[] raw;
    private transient double[] out;
    // ring slots of the newest labelled records before the record being scored, newest first
    // (not stored: rebuilt from the ring), and how many of them are known
    @Nullable private transient int[] lagSlots;
    private transient int lagCount;
    // the serving model's class index of each of the key's classes (-1: unknown to it), and the
    // model it was made for
    private transient int[] lagClassMap = new int[0];
    @Nullable private transient ModelArtifact lagMapFor;

    /**
     * Predicts a record, then learns its label (test-then-train), and says whether a training run
     * is ready.
     *
     * @param key the record key
     * @param recordTs the record's time or index
     * @param x its features
     * @param recordNames its feature names, or null
     * @param recordLabel its label, or null
     * @param versions the versions of the key's model id
     * @param s model settings
     * @param countWindow records per drift window when windows are counts, else 0
     * @param timeWindow window length in ms when windows are durations, else 0
     * @param nowTs creation time for a request's lineage
     * @param result filled in
     */
    public void score(String key, long recordTs, double[] x, @Nullable String[] recordNames,
            @Nullable String recordLabel, ModelVersions versions, ModelSettings s, long countWindow,
            long timeWindow, long nowTs, Scored result) {
        score(key, recordTs, x, recordNames, recordLabel, versions, null, s, countWindow, timeWindow, nowTs, result);
    }

    /**
     * Like the other {@code score}, with the versions of the key's cold-start source: they serve
     * while the key has no model of its own, and its first model fine-tunes from them.
     */
    public void score(String key, long recordTs, double[] x, @Nullable String[] recordNames,
            @Nullable String recordLabel, ModelVersions versions, @Nullable ModelVersions coldStart,
            ModelSettings s, long countWindow, long timeWindow, long nowTs, Scored result) {
        result.clear();
        if (cap == 0) {
            init(x.length, recordNames, s);
        } else if (x.length != d) {
            result.rejected = "dimension " + x.length + " differs from the key's " + d;
            return;
        }
        int slot = head;
        int base = slot * d;
        for (int j = 0; j < d; j++) {
            feat[base + j] = (float) x[j];
        }
        ts[slot] = recordTs;
        label[slot] = Float.NaN;
        head = (head + 1) % cap;
        size = Math.min(size + 1, cap);
        if (lagSlots != null && lagCount > 0 && lagSlots[lagCount - 1] == slot) {
            lagCount--; // the oldest labelled record left the ring
        }

        // test: predict with the serving version, or the prior
        ModelArtifact serving = versions.serving(recordTs);
        while (serving != null && !serving.schema().accepts(recordNames, d)) {
            result.disabledVersion = serving.version();
            result.disabledReason = "incompatible: version " + serving.version() + " of " + serving.modelId()
                    + " reads features " + Arrays.toString(serving.schema().names()) + ", key " + key + " has "
                    + (recordNames == null ? d + " unnamed" : Arrays.toString(recordNames));
            versions.disable(serving.version(), result.disabledReason);
            serving = versions.serving(recordTs);
        }
        ModelVersions source = versions;
        if (serving == null && coldStart != null) {
            ModelArtifact borrowed = coldStart.latestAccepted();
            if (borrowed != null && borrowed.schema().accepts(recordNames, d)) {
                serving = borrowed;
                source = coldStart;
            }
        }
        result.servingModelId = serving == null ? null : serving.modelId();
        int steps = s.inputSteps();
        if (serving != null) {
            Predictor p = source.predictor(serving);
            if (raw == null || raw.length != p.inputWidth()) {
                raw = new double[p.inputWidth()];
            }
            if (out == null || out.length < p.outputWidth()) {
                out = new double[Math.max(p.outputWidth(), 1)];
            }
            int lags = serving.lags();
            int[] classMap = null;
            if (lags > 0) {
                ensureLagSlots(Math.max(lags, s.lagLabels()));
                if (serving.task() == Task.CLASSIFICATION) {
                    classMap = lagClassMap(serving);
                }
            }
            int w = serving.schema().dimension();
            boolean classifier = serving.task() == Task.CLASSIFICATION;
            fillInputAt(slot, 0, steps, w, lags, classifier, serving.schema().labelInputs() / Math.max(1, lags),
                    classMap, true, raw);
            // a missing feature is scored as the serving schema's training mean (0 once standardised)
            double[] trainingMean = serving.schema().mean();
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] != raw[i]) {
                    raw[i] = trainingMean[i % w];
                }
            }
            p.predictRaw(raw, out);
            result.version = serving.version();
            if (serving.task() == Task.CLASSIFICATION) {
                int c = Predictor.argmax(out, p.outputWidth());
                result.predictedClass = serving.classNames()[c];
                result.probabilities = Arrays.copyOf(out, p.outputWidth());
                result.probabilityClasses = serving.classNames();
            } else {
                result.predictedValue = out[0];
            }
        } else if (labelled > 0) {
            result.version = 0;
            // the prior: with previous labels as inputs the previous label (no change), else the
            // majority class or the mean
            int previous = -1;
            if (s.lagLabels() > 0) {
                ensureLagSlots(s.lagLabels());
                previous = lagCount > 0 ? lagSlots[0] : -1;
            }
            if (s.task() == Task.CLASSIFICATION) {
                result.predictedClass = classes.get(previous >= 0 ? (int) label[previous] : majority());
            } else {
                result.predictedValue = previous >= 0 ? label[previous] : labelMean;
            }
        }

        // then train: learn the label
        double loss = Double.NaN;
        boolean correct = false;
        if (recordLabel != null) {
            float y = Float.NaN;
            if (s.task() == Task.CLASSIFICATION) {
                int c = classes.indexOf(recordLabel);
                if (c < 0) {
                    c = classes.size();
                    classes.add(recordLabel);
                    classCounts = Arrays.copyOf(classCounts, classes.size());
                }
                y = c;
                correct = recordLabel.equals(result.predictedClass);
                loss = correct ? 0 : 1;
                classCounts[c]++;
            } else {
                double v = parseNumber(recordLabel);
                if (Double.isFinite(v)) {
                    y = (float) v;
                    if (Double.isFinite(result.predictedValue)) {
                        double e = result.predictedValue - v;
                        loss = e * e;
                    }
                    labelMean += (v - labelMean) / (labelled + 1);
                }
            }
            if (!Float.isNaN(y)) {
                label[slot] = y;
                labelled++;
                if (lagSlots != null) {
                    int keep = Math.min(lagCount, lagSlots.length - 1);
                    System.arraycopy(lagSlots, 0, lagSlots, 1, keep);
                    lagSlots[0] = slot;
                    lagCount = keep + 1;
                }
            }
        }
        addToWindow(recordTs, countWindow, timeWindow, result.version, !Double.isNaN(loss) || recordLabel != null
                && s.task() == Task.CLASSIFICATION, correct, loss, result.predictedValue, label[slot]);
        if (!Double.isNaN(loss) && result.version >= 1) {
            if (result.version != testedVersion) {
                test.reset();
                testedVersion = result.version;
            }
            double p = test.add(loss, recordTs, s.errorBlock());
            if (p < s.errorAlpha() && s.adapt() == ModelSettings.Adapt.RETRAIN && pending == null) {
                pending = Trigger.ERROR_DRIFT;
                pendingSince = test.blockStart();
                pendingStart = test.blockStart();
                pendingEnd = recordTs + 1;
            }
        }
        result.request = maybeRequest(key, versions, coldStart, s, recordTs, nowTs);
    }

    private static double parseNumber(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private void init(int dim, @Nullable String[] recordNames, ModelSettings s) {
        d = dim;
        names = recordNames == null ? null : recordNames.clone();
        steps = s.inputSteps();
        cap = s.maxTrainRecords() + steps;
        feat = new float[cap * d];
        ts = new long[cap];
        label = new float[cap];
    }

    private int majority() {
        int best = 0;
        for (int c = 1; c < classCounts.length; c++) {
            if (classCounts[c] > classCounts[best]) {
                best = c;
            }
        }
        return best;
    }

    private void addToWindow(long recordTs, long countWindow, long timeWindow, long version, boolean isLabelled,
            boolean correct, double loss, double predictedValue, float y) {
        long start;
        int b;
        if (countWindow > 0) {
            boolean opens = openCount % countWindow == 0;
            openCount++;
            if (opens) {
                b = newBucket(recordTs, version);
            } else {
                b = buckets - 1;
            }
        } else {
            start = recordTs - Math.floorMod(recordTs, timeWindow);
            b = -1;
            for (int i = 0; i < buckets; i++) {
                if (bucketStart[i] == start) {
                    b = i;
                }
            }
            if (b < 0) {
                b = newBucket(start, version);
            }
        }
        long[] c = bucket[b];
        c[0]++;
        if (isLabelled) {
            c[1]++;
            if (correct) {
                c[2]++;
            }
            if (Double.isFinite(predictedValue) && !Float.isNaN(y)) {
                double e = predictedValue - y;
                bucketErr[b][0] += e * e;
                bucketErr[b][1] += Math.abs(e);
            }
        }
        bucketLastVersion[b] = version;
    }

    private int newBucket(long start, long version) {
        if (buckets == BUCKETS) {
            // forget the oldest
            System.arraycopy(bucketStart, 1, bucketStart, 0, BUCKETS - 1);
            System.arraycopy(bucketLastVersion, 1, bucketLastVersion, 0, BUCKETS - 1);
            long[] recycled = bucket[0];
            double[] recycledErr = bucketErr[0];
            System.arraycopy(bucket, 1, bucket, 0, BUCKETS - 1);
            System.arraycopy(bucketErr, 1, bucketErr, 0, BUCKETS - 1);
            bucket[BUCKETS - 1] = recycled;
            bucketErr[BUCKETS - 1] = recycledErr;
            buckets--;
        }
        int b = buckets++;
        bucketStart[b] = start;
        Arrays.fill(bucket[b], 0);
        bucket[b][3] = version;
        Arrays.fill(bucketErr[b], 0);
        return b;
    }

    /**
     * Learns of a drift event of this key: returns the prequential error of its window (empty
     * when no record of the window was scored here), and arms a retrain when it is an alarm.
     */
    public PrequentialWindow onEvent(long windowStart, long windowEnd, boolean drift, @Nullable Long changeAt,
            ModelSettings s, Task task) {
        return onEvent(windowStart, windowEnd, drift, changeAt, Double.NaN, s, task);
    }

    /** Like the other {@code onEvent}, with the event's MEDA factor (NaN when it has none). */
    public PrequentialWindow onEvent(long windowStart, long windowEnd, boolean drift, @Nullable Long changeAt,
            double mu, ModelSettings s, Task task) {
        PrequentialWindow w = new PrequentialWindow(0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN);
        for (int i = 0; i < buckets; i++) {
            if (bucketStart[i] == windowStart) {
                long[] c = bucket[i];
                long n = c[1];
                w = new PrequentialWindow(bucketLastVersion[i], c[3], c[0], n,
                        task == Task.CLASSIFICATION && n > 0 ? (double) c[2] / n : Double.NaN,
                        task == Task.REGRESSION && n > 0 ? bucketErr[i][0] / n : Double.NaN,
                        task == Task.REGRESSION && n > 0 ? bucketErr[i][1] / n : Double.NaN);
            }
        }
        if (drift && s.adapt() == ModelSettings.Adapt.RETRAIN && labelled > 0) {
            // a later alarm moves the change point forward: the data after it is what to learn
            pending = Trigger.DRIFT;
            pendingSince = changeAt != null ? Math.max(windowStart, Math.min(changeAt, windowEnd - 1)) : windowStart;
            pendingStart = windowStart;
            pendingEnd = windowEnd;
            pendingMu = mu;
        }
        return w;
    }

    /** Marks the key's training run as finished (its result arrived or was given up). */
    public void trainingDone() {
        inFlight = false;
    }

    /** Records when the request in flight was handed to the trainer (wall clock). */
    public void startedAt(long wallMillis) {
        inFlightWallMillis = wallMillis;
    }

    /** Wall clock at which the request in flight was handed over. */
    public long inFlightWallMillis() {
        return inFlightWallMillis;
    }

    /** Whether a training run of this key is in flight. */
    public boolean inFlight() {
        return inFlight;
    }

    /** Time of the newest record of the request in flight. */
    public long inFlightLastTs() {
        return inFlightLastTs;
    }

    @Nullable
    private TrainingRequest maybeRequest(String key, ModelVersions versions, @Nullable ModelVersions coldStart,
            ModelSettings s, long recordTs, long nowTs) {
        if (inFlight) {
            return null;
        }
        ModelArtifact latest = versions.latestAccepted();
        Trigger trigger;
        long since;
        int need;
        if (latest == null) {
            if (labelled < Math.max(s.initialRecords(), retryAt)) {
                return null;
            }
            if (s.adapt() == ModelSettings.Adapt.NONE && coldStart != null && coldStart.latestAccepted() != null) {
                // adapt none keeps the first model a key serves, a borrowed one (cold start) too:
                // nothing to train, and after a restore no repeat of a training whose answer is on its way
                pending = null;
                return null;
            }
            trigger = Trigger.INITIAL;
            since = Long.MIN_VALUE;
            need = s.initialRecords();
        } else if (pending != null && s.adapt() == ModelSettings.Adapt.NONE) {
            // adapt none keeps the key's first model: a trigger (a request in flight at a
            // checkpoint comes back as one after a restore) has nothing to train
            pending = null;
            return null;
        } else if (pending != null) {
            trigger = pending;
            since = pendingSince;
            need = s.minRetrainRecords();
        } else {
            return null;
        }
        int steps = s.inputSteps();
        int lags = s.lagLabels();
        boolean classifier = s.task() == Task.CLASSIFICATION;
        int perLag = classifier ? classes.size() : 1;
        int w = d + lags * perLag;
        // the newest labelled records at or after `since`, up to the buffer
        TrainingRequest.Rows current = collect(since, Long.MAX_VALUE, true, s.maxTrainRecords(), steps, lags,
                classifier, perLag);
        if (current.rows() < need) {
            return null;
        }
        // the source domain: labelled records before the change, filling the buffer's remainder
        TrainingRequest.Rows ref = trigger == Trigger.INITIAL
                ? TrainingRequest.Rows.EMPTY
                : collect(Long.MIN_VALUE, since, true, s.maxTrainRecords() - current.rows(), steps, lags,
                        classifier, perLag);
        TrainingRequest.Rows unlabelled = collect(since, Long.MAX_VALUE, false, s.maxTrainRecords(), steps, lags,
                classifier, perLag);
        TrainingRequest.Rows past = pastRows(w * steps);
        if (ref.rows() > 0) {
            rememberRegime(ref, w * steps);
        }
        String[] classNames = s.task() == Task.CLASSIFICATION ? classes.toArray(new String[0]) : new String[0];
        String[] featureNames = names != null ? names.clone() : FeatureSchema.positionalNames(d);
        if (lags > 0) {
            String[] lagNames = FeatureSchema.lagNames(lags, classNames);
            featureNames = Arrays.copyOf(featureNames, w);
            System.arraycopy(lagNames, 0, featureNames, d, lagNames.length);
        }
        ModelArtifact parent = latest;
        if (parent == null && coldStart != null) {
            // the first model starts from the borrowed one (it must still beat it on this key's data)
            parent = coldStart.latestAccepted();
        }
        TrainingRequest req = new TrainingRequest(s.modelIdOf(key), versions.maxVersion() + 1, parent, classNames,
                featureNames, current.x(), current.y(), current.rows(), collectedFirst, collectedLast, trigger,
                trigger == Trigger.INITIAL ? -1 : pendingStart, trigger == Trigger.INITIAL ? -1 : pendingEnd,
                recordTs + 1, nowTs, s.seed() ^ (31L * key.hashCode()) ^ versions.maxVersion(), ref, unlabelled,
                trigger == Trigger.INITIAL ? Double.NaN : pendingMu, past, lags * perLag);
        pending = null;
        inFlight = true;
        inFlightLastTs = req.lastTs();
        if (trigger == Trigger.INITIAL) {
            // should this first model be rejected, the key asks again, with no alarm, once as many
            // new labelled records as the request held out have arrived: each retry is then judged
            // on records that no earlier gate saw (a retry on every record would judge nearly the
            // same held-out rows again and again until a candidate passed by chance)
            retryAt = labelled + Retrainer.heldOut(current.rows());
        }
        return req;
    }

    /** Rows kept per earlier regime, and regimes kept. */
    static final int PAST_ROWS = 100;
    static final int PAST_REGIMES = 4;

    /** The samples of earlier regimes, oldest first. */
    private TrainingRequest.Rows pastRows(int width) {
        if (pastCount == 0 || pastX.length != PAST_ROWS * PAST_REGIMES * width) {
            return TrainingRequest.Rows.EMPTY;
        }
        return new TrainingRequest.Rows(java.util.Arrays.copyOf(pastX, pastCount * width),
                java.util.Arrays.copyOf(pastY, pastCount), pastCount);
    }

    /** Keeps up to {@link #PAST_ROWS} rows spread evenly over a regime's labelled rows; the oldest regime goes first. */
    private void rememberRegime(TrainingRequest.Rows regime, int width) {
        if (pastX.length != PAST_ROWS * PAST_REGIMES * width) {
            pastX = new float[PAST_ROWS * PAST_REGIMES * width];
            pastY = new float[PAST_ROWS * PAST_REGIMES];
            pastCount = 0;
        }
        int take = Math.min(PAST_ROWS, regime.rows());
        if (pastCount + take > PAST_ROWS * PAST_REGIMES) {
            int drop = pastCount + take - PAST_ROWS * PAST_REGIMES;
            System.arraycopy(pastX, drop * width, pastX, 0, (pastCount - drop) * width);
            System.arraycopy(pastY, drop, pastY, 0, pastCount - drop);
            pastCount -= drop;
        }
        for (int i = 0; i < take; i++) {
            int src = (int) ((long) i * regime.rows() / take);
            System.arraycopy(regime.x(), src * width, pastX, (pastCount + i) * width, width);
            pastY[pastCount + i] = regime.y()[src];
        }
        pastCount += take;
    }

    // the model id this key borrows until it has its own
    @Nullable String coldSource;

    // samples of earlier regimes (row-major inputs, labels), oldest first
    float[] pastX = new float[0];
    float[] pastY = new float[0];
    int pastCount;

    // times of the first and last record of the newest labelled collection (set by collect)
    private transient long collectedFirst;
    private transient long collectedLast;

    /**
     * The newest {@code max} records with {@code from <= ts < to} that are labelled (or, with
     * {@code labelledOnly} false, unlabelled), in time order, as model inputs of {@code steps}
     * records each, each record's features followed by the labels of the {@code lags} labelled
     * records before it in the buffer ({@code perLag} inputs each).
     */
    private TrainingRequest.Rows collect(long from, long to, boolean labelledOnly, int max, int steps, int lags,
            boolean classification, int perLag) {
        int count = 0;
        for (int k = 0; k < size && count < max; k++) {
            int si = Math.floorMod(head - 1 - k, cap);
            if (ts[si] < from) {
                break;
            }
            if (ts[si] < to && Float.isNaN(label[si]) != labelledOnly) {
                count++;
            }
        }
        int w = d + lags * perLag;
        int width = w * steps;
        float[] xs = new float[count * width];
        float[] ys = new float[labelledOnly ? count : 0];
        double[] seq = new double[width];
        int row = count - 1;
        for (int k = 0; k < size && row >= 0; k++) {
            int si = Math.floorMod(head - 1 - k, cap);
            if (ts[si] >= to || Float.isNaN(label[si]) == labelledOnly) {
                continue;
            }
            fillInputAt(si, k, steps, w, lags, classification, perLag, null, false, seq);
            for (int j = 0; j < width; j++) {
                xs[row * width + j] = (float) seq[j];
            }
            if (labelledOnly) {
                ys[row] = label[si];
                if (row == count - 1 && to == Long.MAX_VALUE) {
                    collectedLast = ts[si];
                }
                if (to == Long.MAX_VALUE) {
                    collectedFirst = ts[si];
                }
            }
            row--;
        }
        imputeMissing(xs, count * width, w);
        return new TrainingRequest.Rows(xs, ys, count);
    }

    /**
     * Replaces the missing (NaN) feature values of {@code n} row-major model inputs by the mean of
     * that feature's present values among them (0 when it has none), so that no NaN reaches a
     * trainer or the schema it fits. Costs nothing beyond one scan when none is missing.
     */
    private static void imputeMissing(float[] xs, int n, int d) {
        boolean any = false;
        for (int i = 0; i < n && !any; i++) {
            any = Float.isNaN(xs[i]);
        }
        if (!any) {
            return;
        }
        double[] sum = new double[d];
        long[] present = new long[d];
        for (int i = 0; i < n; i++) {
            if (!Float.isNaN(xs[i])) {
                sum[i % d] += xs[i];
                present[i % d]++;
            }
        }
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(xs[i])) {
                int j = i % d;
                xs[i] = present[j] == 0 ? 0f : (float) (sum[j] / present[j]);
            }
        }
    }

    /**
     * Writes the model inputs of the {@code steps} records ending at ring slot {@code slot} ({@code
     * age} records back from the newest), oldest first, padding with the oldest available: per
     * record ({@code w} values) its features, then the labels of the {@code lags} labelled records
     * before it in the ring, newest first, {@code perLag} values each (one-hot for classification,
     * see {@link #fillLags}).
     *
     * @param classMap the model's class index of each of the key's classes, or null (the same)
     * @param cached whether the record at {@code age} 0 takes its previous labels from the cache
     */
    private void fillInputAt(int slot, int age, int steps, int w, int lags, boolean classification, int perLag,
            @Nullable int[] classMap, boolean cached, double[] dst) {
        int available = Math.min(steps, size - age);
        for (int k = 0; k < steps; k++) {
            int back = Math.min(steps - 1 - k, available - 1);
            int si = Math.floorMod(slot - back, cap);
            for (int j = 0; j < d; j++) {
                dst[k * w + j] = feat[si * d + j];
            }
            if (lags > 0) {
                fillLags(si, age + back, lags, classification, perLag, classMap, cached && age + back == 0, dst,
                        k * w + d);
            }
        }
    }

    /**
     * Writes the labels of the {@code lags} newest labelled records before the record at ring slot
     * {@code slot} ({@code age} back from the newest) into {@code dst} from {@code off}, newest
     * first: for classification a one-hot of {@code perLag} values per lag (the model's classes,
     * indexed through {@code classMap} when given, else the key's class indices), all zero for a lag the buffer does not hold or a
     * class the model does not know; for regression ({@code perLag} 1) the raw target, NaN when
     * the buffer does not hold it. The record's own label is never read.
     */
    private void fillLags(int slot, int age, int lags, boolean classification, int perLag, @Nullable int[] classMap,
            boolean cached, double[] dst, int off) {
        int k = age + 1;
        for (int lag = 0; lag < lags; lag++) {
            int si = -1;
            if (cached) {
                if (lag < lagCount) {
                    si = lagSlots[lag];
                }
            } else {
                while (k < size) {
                    int c = Math.floorMod(slot - (k - age), cap);
                    k++;
                    if (!Float.isNaN(label[c])) {
                        si = c;
                        break;
                    }
                }
            }
            int o = off + lag * perLag;
            if (!classification) {
                dst[o] = si < 0 ? Double.NaN : label[si];
                continue;
            }
            for (int c = 0; c < perLag; c++) {
                dst[o + c] = 0;
            }
            if (si >= 0) {
                int c = (int) label[si];
                int idx = classMap == null ? c : c < classMap.length ? classMap[c] : -1;
                if (idx >= 0 && idx < perLag) {
                    dst[o + idx] = 1;
                }
            }
        }
    }

    /** Makes the cache of the newest labelled records' slots hold at least {@code n} (rebuilt from the ring). */
    private void ensureLagSlots(int n) {
        if (lagSlots != null && lagSlots.length >= n) {
            return;
        }
        lagSlots = new int[n];
        lagCount = 0;
        // the newest record (age 0) is the one being scored: its label is not known yet
        for (int k = 1; k < size && lagCount < n; k++) {
            int si = Math.floorMod(head - 1 - k, cap);
            if (!Float.isNaN(label[si])) {
                lagSlots[lagCount++] = si;
            }
        }
    }

    /** The serving model's class index of each of the key's classes (-1 where it has none). */
    private int[] lagClassMap(ModelArtifact model) {
        if (model != lagMapFor || lagClassMap.length != classes.size()) {
            String[] modelClasses = model.classNames();
            lagClassMap = new int[classes.size()];
            for (int c = 0; c < lagClassMap.length; c++) {
                lagClassMap[c] = Arrays.asList(modelClasses).indexOf(classes.get(c));
            }
            lagMapFor = model;
        }
        return lagClassMap;
    }

    /**
     * Notes the version that scored a record; returns the milliseconds since the alarm it
     * answers when it is a new version after an alarm (the swap latency), else -1.
     */
    public long served(long version, long nowWallMillis) {
        long latency = -1;
        if (version != lastServed && lastServed >= 0 && alarmWallMillis >= 0 && version > lastServed) {
            latency = nowWallMillis - alarmWallMillis;
            alarmWallMillis = -1;
        }
        lastServed = version;
        return latency;
    }

    /** Notes the wall clock of an alarm (the first one since the last swap). */
    public void alarmAt(long wallMillis) {
        if (alarmWallMillis < 0) {
            alarmWallMillis = wallMillis;
        }
    }

    /**
     * Per-feature mean and variance of the key's records in the buffer, or null with fewer than
     * {@code min} records: the key's distribution for choosing a cold-start source.
     */
    @Nullable
    public double[][] moments(int min) {
        if (size < min) {
            return null;
        }
        double[] mean = new double[d];
        double[] m2 = new double[d];
        long[] present = new long[d];
        for (int k = 0; k < size; k++) {
            int si = Math.floorMod(head - 1 - k, cap);
            for (int j = 0; j < d; j++) {
                double v = feat[si * d + j];
                if (v != v) {
                    continue; // missing
                }
                double delta = v - mean[j];
                mean[j] += delta / ++present[j];
                m2[j] += delta * (v - mean[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            m2[j] /= Math.max(1, present[j]);
        }
        return new double[][] {mean, m2};
    }

    /** The feature names of the key (null when given positionally). */
    @Nullable
    public String[] names() {
        return names;
    }

    /** The key's dimension (0 before its first record). */
    public int dimension() {
        return d;
    }

    /** The model id this key borrows while it has none of its own, or null. */
    @Nullable
    public String coldSource() {
        return coldSource;
    }

    /** Sets the key's cold-start source. */
    public void coldSource(@Nullable String modelId) {
        coldSource = modelId;
    }

    /** The number of labelled records seen. */
    public long labelled() {
        return labelled;
    }

    /** The retrain trigger waiting for data, or null. */
    @Nullable
    public Trigger pending() {
        return pending;
    }

    /** The state as bytes (format version 2). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + cap * (d * 4 + 12));
        try (DataOutputStream o = new DataOutputStream(bytes)) {
            o.writeByte(FORMAT);
            o.writeInt(d);
            o.writeBoolean(names != null);
            if (names != null) {
                for (String n : names) {
                    o.writeUTF(n);
                }
            }
            o.writeInt(cap);
            o.writeInt(steps);
            o.writeInt(head);
            o.writeInt(size);
            for (int i = 0; i < size; i++) {
                int si = Math.floorMod(head - size + i, cap);
                for (int j = 0; j < d; j++) {
                    o.writeFloat(feat[si * d + j]);
                }
                o.writeLong(ts[si]);
                o.writeFloat(label[si]);
            }
            o.writeInt(classes.size());
            for (int c = 0; c < classes.size(); c++) {
                o.writeUTF(classes.get(c));
                o.writeDouble(classCounts[c]);
            }
            o.writeDouble(labelMean);
            o.writeLong(labelled);
            double[] t = {test.baseN, test.baseSum, test.baseSq, test.blockN, test.blockSum, test.blockSq};
            for (double v : t) {
                o.writeDouble(v);
            }
            o.writeLong(test.blockStart);
            o.writeLong(testedVersion);
            o.writeInt(buckets);
            for (int b = 0; b < buckets; b++) {
                o.writeLong(bucketStart[b]);
                for (long v : bucket[b]) {
                    o.writeLong(v);
                }
                o.writeDouble(bucketErr[b][0]);
                o.writeDouble(bucketErr[b][1]);
                o.writeLong(bucketLastVersion[b]);
            }
            o.writeLong(openCount);
            o.writeByte(pending == null ? -1 : pending.ordinal());
            o.writeLong(pendingSince);
            o.writeLong(pendingStart);
            o.writeLong(pendingEnd);
            o.writeDouble(pendingMu);
            o.writeBoolean(inFlight);
            o.writeLong(inFlightLastTs);
            o.writeBoolean(coldSource != null);
            if (coldSource != null) {
                o.writeUTF(coldSource);
            }
            o.writeInt(pastCount);
            o.writeInt(pastX.length);
            for (float v : pastX) {
                o.writeFloat(v);
            }
            for (float v : pastY) {
                o.writeFloat(v);
            }
            o.writeLong(retryAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Restores state written by {@link #toBytes()}. A training run that was in flight is
     * re-armed as pending: its result may have been lost with the failure, and a duplicate
     * candidate is harmless (it must beat the serving version again).
     */
    public static KeyScoring fromBytes(byte[] bytes) {
        return decode(bytes, true);
    }

    /** An exact, independent copy (a training run in flight stays in flight). */
    public KeyScoring copy() {
        KeyScoring k = decode(toBytes(), false);
        k.inFlightWallMillis = inFlightWallMillis;
        k.alarmWallMillis = alarmWallMillis;
        k.lastServed = lastServed;
        return k;
    }

    private static KeyScoring decode(byte[] bytes, boolean restore) {
        KeyScoring k = new KeyScoring();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != 1 && format != FORMAT) {
                throw new IllegalArgumentException("unknown scoring state format " + format);
            }
            k.d = in.readInt();
            if (in.readBoolean()) {
                k.names = new String[k.d];
                for (int j = 0; j < k.d; j++) {
                    k.names[j] = in.readUTF();
                }
            }
            k.cap = in.readInt();
            k.steps = in.readInt();
            int head = in.readInt();
            k.size = in.readInt();
            k.feat = new float[k.cap * k.d];
            k.ts = new long[k.cap];
            k.label = new float[k.cap];
            for (int i = 0; i < k.size; i++) {
                for (int j = 0; j < k.d; j++) {
                    k.feat[i * k.d + j] = in.readFloat();
                }
                k.ts[i] = in.readLong();
                k.label[i] = in.readFloat();
            }
            k.head = k.size % Math.max(1, k.cap);
            int nc = in.readInt();
            k.classCounts = new double[nc];
            for (int c = 0; c < nc; c++) {
                k.classes.add(in.readUTF());
                k.classCounts[c] = in.readDouble();
            }
            k.labelMean = in.readDouble();
            k.labelled = in.readLong();
            k.test.baseN = in.readDouble();
            k.test.baseSum = in.readDouble();
            k.test.baseSq = in.readDouble();
            k.test.blockN = in.readDouble();
            k.test.blockSum = in.readDouble();
            k.test.blockSq = in.readDouble();
            k.test.blockStart = in.readLong();
            k.testedVersion = in.readLong();
            k.buckets = in.readInt();
            for (int b = 0; b < k.buckets; b++) {
                k.bucketStart[b] = in.readLong();
                for (int v = 0; v < 4; v++) {
                    k.bucket[b][v] = in.readLong();
                }
                k.bucketErr[b][0] = in.readDouble();
                k.bucketErr[b][1] = in.readDouble();
                k.bucketLastVersion[b] = in.readLong();
            }
            k.openCount = in.readLong();
            int p = in.readByte();
            k.pending = p < 0 ? null : Trigger.values()[p];
            k.pendingSince = in.readLong();
            k.pendingStart = in.readLong();
            k.pendingEnd = in.readLong();
            k.pendingMu = in.readDouble();
            boolean inFlight = in.readBoolean();
            k.inFlightLastTs = in.readLong();
            k.coldSource = in.readBoolean() ? in.readUTF() : null;
            k.pastCount = in.readInt();
            k.pastX = new float[in.readInt()];
            for (int i = 0; i < k.pastX.length; i++) {
                k.pastX[i] = in.readFloat();
            }
            k.pastY = new float[k.pastX.length == 0 ? 0 : PAST_ROWS * PAST_REGIMES];
            for (int i = 0; i < k.pastY.length; i++) {
                k.pastY[i] = in.readFloat();
            }
            // format 1 kept no retry point: a key without a model asks as soon as it may
            k.retryAt = format >= 2 ? in.readLong() : 0;
            if (restore && inFlight) {
                // the request in flight is issued again at once, a first model's too
                k.retryAt = 0;
            }
            if (restore && inFlight && k.pending == null) {
                k.pending = Trigger.DRIFT;
                k.pendingSince = Long.MIN_VALUE;
            }
            k.inFlight = inFlight && !restore;
            if (head < 0) {
                throw new IllegalArgumentException("corrupt scoring state");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated scoring state", e);
        }
        return k;
    }
}
