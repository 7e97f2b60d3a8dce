package io.driftguard.operators.scoring;

import io.driftguard.operators.model.ModelTrainer;
import java.io.Serializable;

/** Creates the trainer inside a task (ND4J is loaded there, never in the job client's graph). */
@FunctionalInterface
public interface TrainerFactory extends Serializable {

    ModelTrainer create();
}
