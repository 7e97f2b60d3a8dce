package io.driftguard.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code driftguard} in-process, as the launcher does, with {@code System.out} and {@code
 * System.err} captured for the run: the harness of the command-line tests (this module's and the
 * bench module's).
 */
public final class CliRun {

    static {
        // logging must bind its appenders to the real streams, before any run redirects them
        LoggerFactory.getLogger(CliRun.class);
    }

    private CliRun() {}

    /** What a run printed and its exit code. */
    public record Outcome(int code, String out, String err) {

        /** The non-blank lines of stdout. */
        public List<String> outLines() {
            return out.lines().filter(l -> !l.isBlank()).toList();
        }

        /** The non-blank lines of stderr. */
        public List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        /**
         * Asserts the documented usage-error shape (exit code 2, exactly one stderr line, no stack
         * trace) and returns that line.
         */
        public String usageError() {
            assertThat(code).as("exit code; stderr: %s", err).isEqualTo(2);
            assertThat(errLines()).as("stderr lines").hasSize(1);
            assertThat(err).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("\tat ");
            return errLines().get(0);
        }
    }

    /** Runs {@link DriftguardCli#execute} with {@code args}; the streams are restored afterwards. */
    public static synchronized Outcome run(String... args) {
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = DriftguardCli.execute(args);
            System.out.flush();
            System.err.flush();
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
    }
}
