package io.driftguard.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.jobs.dashboard.DashboardState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code driftguard dashboard}: its argument errors, and a run over an event file. */
class DashboardCommandTest {

    private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return DriftguardCli.newCommandLine()
                    .setOut(new java.io.PrintWriter(System.out, true))
                    .setErr(new java.io.PrintWriter(System.err, true))
                    .execute(args);
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
    }

    @Test
    void badArgumentsAreOneLineAndExitCodeTwo(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(out, err, "dashboard")).isEqualTo(2);
        assertThat(run(out, err, "dashboard", "--events", dir.resolve("missing.jsonl").toString())).isEqualTo(2);
        Path events = Files.writeString(dir.resolve("e.jsonl"), "");
        assertThat(run(out, err, "dashboard", "--events", events.toString(), "--bootstrap-servers", "x:1")).isEqualTo(2);
        assertThat(run(out, err, "dashboard", "--events", events.toString(), "--port", "70000")).isEqualTo(2);
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            err.reset();
            assertThat(run(out, err, "dashboard", "--events", events.toString(), "--port",
                    Integer.toString(taken.getLocalPort()))).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot listen").contains("--port 0").hasLineCount(1);
        }
        out.reset();
        assertThat(run(out, err, "dashboard", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--bootstrap-servers").contains("--events")
                .contains("--port").contains("--host");
    }

    @Test
    void servesAnEventFileOnAFreePortOfTheLoopbackAddress(@TempDir Path dir) throws Exception {
        Path events = Files.writeString(dir.resolve("e.jsonl"),
                "{\"key\":\"a\",\"window_start\":0,\"window_end\":100,\"mmd2\":0.5,\"p_value\":0.001,"
                        + "\"a_distance\":1.2,\"drift\":true,\"calibrated\":true,\"features\":[]}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CountDownLatch stop = new CountDownLatch(1);
        DashboardCommand.stop = stop;
        try {
            CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
                    () -> run(out, err, "dashboard", "--events", events.toString(), "--port", "0"));
            Pattern address = Pattern.compile("dashboard at (http://127\\.0\\.0\\.1:\\d+/)");
            Matcher m = address.matcher("");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!m.reset(out.toString(StandardCharsets.UTF_8)).find()) {
                assertThat(System.nanoTime()).as("address printed; stderr: %s", err).isLessThan(deadline);
                Thread.sleep(20);
            }
            URI base = URI.create(m.group(1));
            String keys = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/api/keys")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(keys).contains("\"key\":\"a\"").contains("\"state\":\"drift\"");
            stop.countDown();
            assertThat(code.get(20, TimeUnit.SECONDS)).isZero();
        } finally {
            DashboardCommand.stop = null;
            stop.countDown();
        }
        assertThat(new DashboardState().keyCount()).isZero();
    }
}
