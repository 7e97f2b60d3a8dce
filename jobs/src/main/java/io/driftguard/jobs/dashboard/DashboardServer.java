package io.driftguard.jobs.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the dashboard with the JDK's HTTP server: the page, uPlot, a paged overview
 * ({@code api/keys}), one key's series ({@code api/key}) and a server-sent event stream
 * ({@code api/stream}) that names the keys changed since the last message, at most four times a
 * second, so that the page fetches only what it shows.
 */
public final class DashboardServer implements AutoCloseable {

    /** Largest overview page a request may ask for. */
    static final int MAX_PAGE = 500;
    /** Keys named per stream message; beyond that the message says "more" and the page refreshes all it shows. */
    static final int MAX_CHANGED = 200;

    private final HttpServer server;
    private final ExecutorService pool;
    private final DashboardState state;
    private final AtomicInteger streamClients = new AtomicInteger();
    private final String page;
    private final byte[] js;
    private final byte[] css;
    private volatile boolean closed;

    private DashboardServer(DashboardState state, HttpServer server, ExecutorService pool) {
        this.state = state;
        this.server = server;
        this.pool = pool;
        this.page = WebAssets.page("<link rel=\"stylesheet\" href=\"lib/uplot.css\">\n"
                + "<script src=\"lib/uplot.js\"></script>");
        this.js = WebAssets.uplotJs().getBytes(StandardCharsets.UTF_8);
        this.css = WebAssets.uplotCss().getBytes(StandardCharsets.UTF_8);
    }

    /** Starts serving {@code state} on {@code host:port} (port 0: any free port). */
    public static DashboardServer start(DashboardState state, String host, int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dashboard-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        DashboardServer s = new DashboardServer(state, http, pool);
        http.createContext("/", s::handle);
        http.start();
        return s;
    }

    /** The address to open in a browser. */
    public URI address() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** Pages connected to the live stream now. */
    public int streamClients() {
        return streamClients.get();
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                send(ex, 405, "text/plain", "GET only".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = ex.getRequestURI().getPath();
            Map<String, String> q = query(ex.getRequestURI());
            switch (path) {
                case "/", "/index.html" -> send(ex, 200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
                case "/lib/uplot.js" -> send(ex, 200, "text/javascript; charset=utf-8", js);
                case "/lib/uplot.css" -> send(ex, 200, "text/css; charset=utf-8", css);
                case "/api/keys" -> {
                    int offset = integer(q.get("offset"), 0);
                    int limit = Math.min(MAX_PAGE, Math.max(1, integer(q.get("limit"), 100)));
                    String body = state.overviewJson(q.getOrDefault("q", ""), q.get("state"),
                            q.getOrDefault("sort", "key"), "desc".equals(q.get("dir")), offset, limit);
                    json(ex, 200, body);
                }
                case "/api/key" -> {
                    String body = q.get("k") == null ? null : state.keyJson(q.get("k"));
                    if (body == null) {
                        json(ex, 404, "{\"error\":\"unknown key\"}");
                    } else {
                        json(ex, 200, body);
                    }
                }
                case "/api/stream" -> stream(ex);
                default -> send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the page went away mid-answer
        }
    }

    private void stream(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        streamClients.incrementAndGet();
        try {
            OutputStream out = ex.getResponseBody();
            long seen = state.sequence();
            out.write(("retry: 2000\ndata: {\"seq\":" + seen + ",\"changed\":[],\"more\":true}\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!closed) {
                long now = state.awaitChange(seen, 15_000);
                if (now == seen) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    List<String> changed = state.changedSince(seen, MAX_CHANGED + 1);
                    boolean more = changed.size() > MAX_CHANGED;
                    StringBuilder sb = new StringBuilder("data: {\"seq\":").append(now).append(",\"more\":")
                            .append(more).append(",\"changed\":[");
                    for (int i = 0; i < Math.min(changed.size(), MAX_CHANGED); i++) {
                        sb.append(i == 0 ? "" : ",").append(jsonString(changed.get(i)));
                    }
                    sb.append("]}\n\n");
                    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                    seen = now;
                }
                out.flush();
                // at most four messages a second, however fast events arrive
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streamClients.decrementAndGet();
        }
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static void json(HttpExchange ex, int code, String body) throws IOException {
        send(ex, code, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(code, head ? -1 : body.length);
        if (!head) {
            ex.getResponseBody().write(body);
        }
    }

    private static int integer(String s, int otherwise) {
        try {
            return s == null ? otherwise : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> m = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return m;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }
}
