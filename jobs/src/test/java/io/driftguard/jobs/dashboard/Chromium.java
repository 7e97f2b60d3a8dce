package io.driftguard.jobs.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Debian chromium driven over the DevTools protocol with the JDK's WebSocket client: the
 * page stays open, so a test can change what the server serves and watch the page follow without a
 * reload (chromium's --dump-dom and --screenshot take one snapshot of a fresh load only).
 */
final class Chromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts chromium with a fresh profile under {@code profile}, a window of {@code width} x {@code height}. */
    static Chromium start(Path profile, int width, int height, String... extraFlags) throws Exception {
        Files.createDirectories(profile);
        List<String> cmd = new java.util.ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--window-size=" + width + "," + height));
        cmd.addAll(List.of(extraFlags));
        cmd.add("about:blank");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        Path active = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            if (Files.exists(active)) {
                lines = Files.readAllLines(active);
                if (lines.size() >= 2) {
                    break;
                }
            }
            if (!p.isAlive()) {
                throw new IOException("chromium exited: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(100);
        }
        if (lines.size() < 2) {
            p.destroyForcibly();
            throw new IOException("chromium did not open its DevTools port in 30 s");
        }
        HttpClient http = HttpClient.newHttpClient();
        String port = lines.get(0).trim();
        String target = null;
        for (int i = 0; i < 50 && target == null; i++) {
            JsonNode list = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode t : list) {
                if ("page".equals(t.path("type").asText())) {
                    target = t.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (target == null) {
                Thread.sleep(100);
            }
        }
        if (target == null) {
            p.destroyForcibly();
            throw new IOException("chromium has no page target");
        }
        Chromium[] self = new Chromium[1];
        StringBuilder frame = new StringBuilder();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(target), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                frame.append(data);
                if (last) {
                    String text = frame.toString();
                    frame.setLength(0);
                    try {
                        JsonNode n = JSON.readTree(text);
                        if (n.has("id") && self[0] != null) {
                            CompletableFuture<JsonNode> f = self[0].pending.remove(n.get("id").asInt());
                            if (f != null) {
                                f.complete(n);
                            }
                        }
                    } catch (IOException e) {
                        // not ours to answer
                    }
                }
                w.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        self[0] = new Chromium(p, ws);
        return self[0];
    }

    /** Sends one DevTools command and returns its result. */
    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
        JsonNode r = f.get(30, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IOException(method + ": " + r.get("error"));
        }
        return r.path("result");
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
    }

    /** Evaluates a JavaScript expression in the page and returns its value as JSON. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        return r.path("result").path("value");
    }

    /** Polls {@code expression} until it is true or {@code timeout} passes; returns whether it became true. */
    boolean waitFor(String expression, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (eval(expression).asBoolean(false)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    void screenshot(Path png) throws Exception {
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png"));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(r.path("data").asText()));
    }

    @Override
    public void close() {
        socket.abort();
        // chromium's helper processes (zygote, renderers) write to the profile too: they must be
        // gone before the test's temporary directory is deleted
        java.util.List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle child : children) {
                child.destroyForcibly();
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // a helper that outlives its parent is left to the OS
        }
    }
}
