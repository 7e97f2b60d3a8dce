package io.driftguard.bench;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.DenseInstance;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.Instances;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import io.driftguard.connectors.csv.CsvSplitter;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import moa.classifiers.AbstractClassifier;
import moa.classifiers.meta.AdaptiveRandomForest;
import moa.classifiers.trees.HoeffdingAdaptiveTree;
import moa.core.Utils;

/**
 * MOA's classifiers in the same process, tested then trained on each record in file order: the
 * cumulative prequential accuracy that MOA's {@code EvaluatePrequential} with its basic
 * classification evaluator reports. Only loaded when {@link MoaBaselines#available()}.
 */
final class MoaPrequential {

    /** The MOA learners compared, by the name shown in the table. */
    enum Learner {
        HAT("MOA Hoeffding Adaptive Tree"),
        ARF("MOA Adaptive Random Forest");

        final String label;

        Learner(String label) {
            this.label = label;
        }

        AbstractClassifier create() {
            return this == HAT ? new HoeffdingAdaptiveTree() : new AdaptiveRandomForest();
        }
    }

    private MoaPrequential() {}

    /**
     * Cumulative prequential accuracy (%) of {@code learner} over a CSV with a header row, every
     * column but {@code classColumn} a numeric feature; the class values are nominal in order of
     * first appearance.
     */
    static double accuracy(Path csv, String classColumn, Learner learner) throws Exception {
        List<String[]> rows = new ArrayList<>();
        List<String> header;
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            header = CsvSplitter.split(r.readLine());
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    rows.add(CsvSplitter.split(line).toArray(String[]::new));
                }
            }
        }
        int classIndex = header.indexOf(classColumn);
        if (classIndex < 0) {
            throw new IllegalArgumentException(csv + ": no column " + classColumn);
        }
        Map<String, Integer> classes = new LinkedHashMap<>();
        for (String[] row : rows) {
            classes.putIfAbsent(row[classIndex].trim(), classes.size());
        }
        List<Attribute> attributes = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (i != classIndex) {
                attributes.add(new Attribute(header.get(i)));
            }
        }
        attributes.add(new Attribute(classColumn, new ArrayList<>(classes.keySet())));
        Instances data = new Instances("driftguard-bench", attributes, 0);
        data.setClassIndex(attributes.size() - 1);
        AbstractClassifier c = learner.create();
        c.setModelContext(new InstancesHeader(data));
        c.prepareForUse();
        long correct = 0;
        for (String[] row : rows) {
            double[] v = new double[attributes.size()];
            int k = 0;
            for (int i = 0; i < row.length; i++) {
                if (i != classIndex) {
                    v[k++] = Double.parseDouble(row[i]);
                }
            }
            int y = classes.get(row[classIndex].trim());
            v[k] = y;
            Instance inst = new DenseInstance(1.0, v);
            inst.setDataset(data);
            correct += Utils.maxIndex(c.getVotesForInstance(inst)) == y ? 1 : 0;
            c.trainOnInstance(inst);
        }
        return 100.0 * correct / Math.max(1, rows.size());
    }
}
