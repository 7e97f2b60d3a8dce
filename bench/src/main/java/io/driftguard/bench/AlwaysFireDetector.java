package io.driftguard.bench;

/** Flags every window: the trivial upper bound on recall and lower bound on precision. */
public final class AlwaysFireDetector implements WindowDetector {

    @Override
    public String name() {
        return "always-fire";
    }

    @Override
    public Decision onWindow(double[][] window) {
        return Decision.fire();
    }
}
