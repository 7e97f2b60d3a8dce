package io.driftguard.operators.model.train;

import io.driftguard.operators.model.ModelKind;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A test loss term through the seam: lambda times the squared distance between the mean hidden
 * representation of the minibatch and of a fixed auxiliary batch (linear-kernel MMD^2); for the
 * GRU, summed over the top layer's per-step states.
 */
final class LinearMmdTerm implements LossTerm {

    static final String AUX = "xAux";

    private final float[] aux;
    private final int rows;
    private final int width;
    private final double lambda;
    private org.nd4j.linalg.api.buffer.DataType type = org.nd4j.linalg.api.buffer.DataType.FLOAT;

    LinearMmdTerm(float[] aux, int rows, int width, double lambda) {
        this.aux = aux;
        this.rows = rows;
        this.width = width;
        this.lambda = lambda;
    }

    @Override
    public SDVariable define(ModelGraph graph) {
        type = graph.dataType();
        SDVariable x = graph.sameDiff().placeHolder(AUX, graph.dataType(), -1, width);
        ModelGraph.Forward other = graph.apply(x);
        ModelGraph.Forward main = graph.main();
        SDVariable total;
        if (graph.architecture().kind() == ModelKind.GRU) {
            List<SDVariable> a = main.steps().get(main.steps().size() - 1);
            List<SDVariable> b = other.steps().get(other.steps().size() - 1);
            total = null;
            for (int t = 0; t < a.size(); t++) {
                SDVariable d = a.get(t).mean(0).sub(b.get(t).mean(0));
                SDVariable s = d.mul(d).sum();
                total = total == null ? s : total.add(s);
            }
        } else {
            SDVariable d = main.hidden().mean(0).sub(other.hidden().mean(0));
            total = d.mul(d).sum();
        }
        return total.mul(lambda);
    }

    @Override
    public Map<String, INDArray> feed(int epoch, int step, int[] batchRows) {
        return Map.of(AUX, Nd4j.create(aux, new long[] {rows, width}, 'c').castTo(type));
    }
}
