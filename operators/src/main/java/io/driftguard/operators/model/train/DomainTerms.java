package io.driftguard.operators.model.train;

import io.driftguard.operators.model.Regularization;
import io.driftguard.operators.sketch.SplitMix64;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link LossTerm}s of {@link Regularization}: MEDA's MMD terms and the adversarial domain
 * classifier, both on the model's last hidden layer, fed minibatches of {@link #BATCH} source and
 * {@link #BATCH} target rows per training step (seeded draws, so training stays reproducible).
 */
final class DomainTerms {

    /** Rows of each domain per training step. */
    static final int BATCH = 64;
    /** Hidden units of the adversarial domain classifier. */
    static final int DOMAIN_HIDDEN = 16;

    private DomainTerms() {}

    /**
     * The share of lambda that the adversarial term's reversal applies in an epoch: DANN's ramp
     * {@code 2 / (1 + exp(-10 p)) - 1} over the training progress {@code p = epoch / maxEpochs}
     * (Ganin et al. 2016, section 5.2.2): 0 in the first epoch, 0.46 at a tenth of the budget,
     * 0.99 at half. Early on the domain classifier is untrained and its reversed gradient is noise
     * that pushes the representation away from what the task loss has learnt.
     */
    static double adversarialRamp(int epoch, int maxEpochs) {
        double p = (double) epoch / Math.max(1, maxEpochs);
        return 2 / (1 + Math.exp(-10 * p)) - 1;
    }

    static LossTerm of(Regularization r, DataType type) {
        return r.kind() == Regularization.Kind.MEDA ? new Meda(r, type) : new Adversarial(r, type);
    }

    /** Feeds seeded minibatches of both domains. */
    private abstract static class Batches implements LossTerm {
        final Regularization r;
        final DataType type;
        final int width;
        final int bs;
        final int bt;

        Batches(Regularization r, DataType type) {
            this.r = r;
            this.type = type;
            this.width = r.source().length / r.sourceRows();
            this.bs = Math.min(BATCH, r.sourceRows());
            this.bt = Math.min(BATCH, r.targetRows());
        }

        int[] draw(SplitMix64 rnd, int n, int k) {
            int[] idx = new int[k];
            for (int i = 0; i < k; i++) {
                idx[i] = rnd.nextInt(n);
            }
            return idx;
        }

        INDArray rows(float[] data, int[] idx) {
            float[] out = new float[idx.length * width];
            for (int i = 0; i < idx.length; i++) {
                System.arraycopy(data, idx[i] * width, out, i * width, width);
            }
            return Nd4j.create(out, new long[] {idx.length, width}, 'c').castTo(type);
        }

        SplitMix64 rnd(int epoch, int step) {
            return new SplitMix64(SplitMix64.derive(r.seed(), 1_000_003L * epoch + step));
        }
    }

    /**
     * {@code lambda [(1 - mu) MMD^2(h_s, h_t) + mu sum_c MMD^2(h_s^c, h_t^c)]}, Gaussian kernel of
     * squared bandwidth equal to the hidden width (units of a standardised input's scale),
     * biased V-statistics on the minibatches; a class counts when both minibatches hold it.
     */
    static final class Meda extends Batches {
        private final int classes;

        Meda(Regularization r, DataType type) {
            super(r, type);
            this.classes = Math.max(1, r.classes());
        }

        @Override
        public SDVariable define(ModelGraph graph) {
            SameDiff sd = graph.sameDiff();
            SDVariable xs = sd.placeHolder("meda_xs", type, -1, width);
            SDVariable xt = sd.placeHolder("meda_xt", type, -1, width);
            SDVariable ms = sd.placeHolder("meda_ms", type, -1, classes);
            SDVariable mt = sd.placeHolder("meda_mt", type, -1, classes);
            SDVariable present = sd.placeHolder("meda_present", type, 1, classes);
            SDVariable hs = graph.apply(xs).hidden();
            SDVariable ht = graph.apply(xt).hidden();
            long h = hs.getShape() != null && hs.getShape().length == 2 ? hs.getShape()[1] : 1;
            double gamma = 1.0 / (2.0 * Math.max(1, hiddenWidth(graph)));
            SDVariable kss = kernel(sd, hs, hs, gamma);
            SDVariable ktt = kernel(sd, ht, ht, gamma);
            SDVariable kst = kernel(sd, hs, ht, gamma);
            SDVariable marginal = kss.mean().add(ktt.mean()).sub(kst.mean().mul(2.0));
            // per class: m_c' K m_c over the squared class counts
            SDVariable ns = ms.sum(0).reshape(1, classes);
            SDVariable nt = mt.sum(0).reshape(1, classes);
            SDVariable ssC = ms.mul(kss.mmul(ms)).sum(0).reshape(1, classes).div(sd.math().max(ns.mul(ns), sd.constant(1.0).castTo(type)));
            SDVariable ttC = mt.mul(ktt.mmul(mt)).sum(0).reshape(1, classes).div(sd.math().max(nt.mul(nt), sd.constant(1.0).castTo(type)));
            SDVariable stC = ms.mul(kst.mmul(mt)).sum(0).reshape(1, classes).div(sd.math().max(ns.mul(nt), sd.constant(1.0).castTo(type)));
            SDVariable conditional = ssC.add(ttC).sub(stC.mul(2.0)).mul(present).sum();
            return marginal.mul(1 - r.mu()).add(conditional.mul(r.mu())).mul(r.lambda());
        }

        private static int hiddenWidth(ModelGraph graph) {
            int[] hidden = graph.architecture().hidden();
            return hidden.length == 0 ? graph.architecture().inputs() : hidden[hidden.length - 1];
        }

        @Override
        public Map<String, INDArray> feed(int epoch, int step, int[] rows) {
            SplitMix64 rnd = rnd(epoch, step);
            int[] is = draw(rnd, r.sourceRows(), bs);
            int[] it = draw(rnd, r.targetRows(), bt);
            Map<String, INDArray> m = new HashMap<>();
            m.put("meda_xs", rows(r.source(), is));
            m.put("meda_xt", rows(r.target(), it));
            float[] ms = new float[bs * classes];
            float[] mt = new float[bt * classes];
            boolean[] inS = new boolean[classes];
            boolean[] inT = new boolean[classes];
            for (int i = 0; i < bs; i++) {
                int c = r.sourceClass()[is[i]];
                if (c >= 0 && c < classes) {
                    ms[i * classes + c] = 1;
                    inS[c] = true;
                }
            }
            for (int i = 0; i < bt; i++) {
                int c = r.targetClass()[it[i]];
                if (c >= 0 && c < classes) {
                    mt[i * classes + c] = 1;
                    inT[c] = true;
                }
            }
            float[] present = new float[classes];
            for (int c = 0; c < classes; c++) {
                present[c] = inS[c] && inT[c] ? 1 : 0;
            }
            m.put("meda_ms", Nd4j.create(ms, new long[] {bs, classes}, 'c').castTo(type));
            m.put("meda_mt", Nd4j.create(mt, new long[] {bt, classes}, 'c').castTo(type));
            m.put("meda_present", Nd4j.create(present, new long[] {1, classes}, 'c').castTo(type));
            return m;
        }
    }

    /** exp(-gamma ||a_i - b_j||^2) for the rows of a and b. */
    static SDVariable kernel(SameDiff sd, SDVariable a, SDVariable b, double gamma) {
        SDVariable sa = a.mul(a).sum(true, 1);
        SDVariable sb = b.mul(b).sum(true, 1);
        SDVariable dist = sa.add(sd.transpose(sb)).sub(a.mmul(sd.transpose(b)).mul(2.0));
        return sd.math().exp(dist.mul(-gamma));
    }

    /**
     * A domain classifier (one ReLU layer of {@link #DOMAIN_HIDDEN}) on the hidden layer of both
     * domains, trained with the logistic loss through a gradient-reversal layer: the forward value
     * is the hidden layer, the gradient reaching the model is {@code -lambda} times the
     * classifier's, written {@code -lambda h + stop((1 + lambda) h)}; lambda follows {@link
     * #adversarialRamp} when the trainer reports its epochs.
     */
    static final class Adversarial extends Batches {
        private double lambda;

        Adversarial(Regularization r, DataType type) {
            super(r, type);
            this.lambda = r.lambda();
        }

        @Override
        public void startEpoch(int epoch, int maxEpochs) {
            lambda = r.lambda() * adversarialRamp(epoch, maxEpochs);
        }

        @Override
        public SDVariable define(ModelGraph graph) {
            SameDiff sd = graph.sameDiff();
            SDVariable xs = sd.placeHolder("adv_xs", type, -1, width);
            SDVariable xt = sd.placeHolder("adv_xt", type, -1, width);
            SDVariable yd = sd.placeHolder("adv_y", type, -1, 1);
            SDVariable h = sd.concat(0, graph.apply(xs).hidden(), graph.apply(xt).hidden());
            SDVariable lambda = sd.placeHolder("adv_lambda", type);
            SDVariable reversed = h.mul(lambda.neg())
                    .add(new StopGradient(sd, h.mul(lambda.add(1.0))).outputVariable());
            int[] hidden = graph.architecture().hidden();
            int hw = hidden[hidden.length - 1];
            SplitMix64 rnd = new SplitMix64(r.seed() ^ 0x5DEECE66DL);
            SDVariable w1 = sd.var("adv_w1", init(rnd, hw, DOMAIN_HIDDEN));
            SDVariable b1 = sd.var("adv_b1", Nd4j.zeros(type, 1, DOMAIN_HIDDEN));
            SDVariable w2 = sd.var("adv_w2", init(rnd, DOMAIN_HIDDEN, 1));
            SDVariable b2 = sd.var("adv_b2", Nd4j.zeros(type, 1, 1));
            SDVariable z = sd.nn().relu(reversed.mmul(w1).add(b1), 0).mmul(w2).add(b2);
            // logistic loss, log(1 + e^z) - y z, written stably as max(z, 0) - y z + log(1 + e^-|z|)
            SDVariable softplus = sd.math().max(z, sd.zerosLike(z))
                    .add(sd.math().log(sd.math().exp(sd.math().abs(z).neg()).add(1.0)));
            return softplus.sub(yd.mul(z)).mean();
        }

        private INDArray init(SplitMix64 rnd, int in, int out) {
            double limit = Math.sqrt(6.0 / (in + out));
            float[] v = new float[in * out];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((2 * rnd.nextDouble() - 1) * limit);
            }
            return Nd4j.create(v, new long[] {in, out}, 'c').castTo(type);
        }

        @Override
        public Map<String, INDArray> feed(int epoch, int step, int[] rows) {
            SplitMix64 rnd = rnd(epoch, step);
            int[] is = draw(rnd, r.sourceRows(), bs);
            int[] it = draw(rnd, r.targetRows(), bt);
            Map<String, INDArray> m = new HashMap<>();
            m.put("adv_xs", rows(r.source(), is));
            m.put("adv_xt", rows(r.target(), it));
            float[] y = new float[bs + bt];
            for (int i = bs; i < bs + bt; i++) {
                y[i] = 1;
            }
            m.put("adv_y", Nd4j.create(y, new long[] {bs + bt, 1}, 'c').castTo(type));
            m.put("adv_lambda", Nd4j.scalar(type, lambda));
            return m;
        }
    }
}
