package io.driftguard.jobs.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code driftguard} command line: {@code demo}, {@code run}, {@code replay}, {@code test},
 * {@code segment}, {@code bench}, {@code kafka-local}, {@code model} and {@code dashboard}.
 *
 * <p>Bad arguments or unreadable input print one line to stderr and exit with code 2; other
 * failures print one line (the stack trace only with {@code DRIFTGUARD_DEBUG=1}) and exit 1.
 */
@Command(
        name = "driftguard",
        mixinStandardHelpOptions = true,
        versionProvider = DriftguardCli.Version.class,
        description = "Streaming drift detection and model adaptation for time-series on Flink, Kafka and ND4J.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            ProduceCommand.class,
            ReplayCommand.class,
            TestCommand.class,
            SegmentCommand.class,
            LocalKafkaCommand.class,
            ModelCommand.class,
            DashboardCommand.class
        })
public final class DriftguardCli implements Runnable {

    /** Exit code for bad arguments or unreadable input. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs the command line. Exits the JVM except after a successful {@code run}: under {@code flink run} in application
     * mode this main runs inside the JobManager, which must not be stopped by a normal return.
     */
    public static void main(String[] args) {
        int code = execute(args);
        boolean cluster = args.length > 0 && args[0].equals("run");
        if (code != 0 || !cluster) {
            System.exit(code);
        }
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    /** Builds the configured picocli command line. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new DriftguardCli());
        // bench comes from the bench module when it is there; help stays last in the list
        cl.addSubcommand(BENCH, benchCommand());
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setParameterExceptionHandler(
                (ex, a) -> {
                    PrintWriter err = ex.getCommandLine().getErr();
                    err.println(qualifiedName(ex.getCommandLine()) + ": " + firstLine(ex.getMessage()));
                    err.flush();
                    return EXIT_USAGE;
                });
        cl.setExecutionExceptionHandler(
                (ex, cmd, parseResult) -> {
                    PrintWriter err = cmd.getErr();
                    Throwable root = ex;
                    boolean user = false;
                    for (Throwable t = ex; t != null; t = t.getCause()) {
                        if (t instanceof UserError) {
                            root = t;
                            user = true;
                            break;
                        }
                    }
                    String line = firstLine(describe(root));
                    if (!user) {
                        // Flink wraps failures several times; the innermost cause says what broke.
                        Throwable inner = ex;
                        while (inner.getCause() != null && inner.getCause() != inner) {
                            inner = inner.getCause();
                        }
                        if (inner != ex) {
                            line += " (caused by " + inner.getClass().getSimpleName() + ": "
                                    + firstLine(describe(inner)) + ")";
                        }
                    }
                    err.println(qualifiedName(cmd) + ": " + line);
                    if (System.getenv("DRIFTGUARD_DEBUG") != null) {
                        ex.printStackTrace(err);
                    }
                    err.flush();
                    return user ? EXIT_USAGE : 1;
                });
        return cl;
    }

    /** Name of the benchmark command, from the bench module when it is on the class path. */
    static final String BENCH = "bench";

    /** The class of the bench module's command (in driftguard-bench.jar, absent from driftguard.jar). */
    static final String BENCH_COMMAND = "io.driftguard.bench.BenchCommand";

    /**
     * The bench module's command when it is on the class path; otherwise one that says where the
     * benchmarks are (they carry MOA, GPL-3.0, which the product jar does not ship).
     */
    private static Object benchCommand() {
        try {
            return Class.forName(BENCH_COMMAND).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            return new BenchElsewhere();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + BENCH_COMMAND, e);
        }
    }

    /** {@code driftguard bench} in a jar without the bench module. */
    @CommandLine.Command(
            name = BENCH,
            mixinStandardHelpOptions = true,
            description = "Benchmarks with published baselines run side by side (in driftguard-bench.jar).")
    static final class BenchElsewhere implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Unmatched List<String> args;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            err.println("driftguard bench: the benchmarks ship in bench/target/driftguard-bench.jar (built by `mvn"
                    + " package`, with MOA's baselines): java -jar bench/target/driftguard-bench.jar bench ...");
            err.flush();
            return EXIT_USAGE;
        }
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String qualifiedName(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DriftguardCli.class.getPackage().getImplementationVersion();
            return new String[] {"driftguard " + (v == null ? "dev" : v)};
        }
    }
}
