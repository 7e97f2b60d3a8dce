package io.driftguard.jobs.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The dashboard page and the uPlot charting library, both read from the class path: the page from
 * {@code dashboard/index.html}, uPlot from its WebJar (org.webjars.npm:uplot), which the build
 * bundles into the jar. Nothing is fetched from the network.
 */
public final class WebAssets {

    /** Where the page puts its head: the library's tags, and in a report its data. */
    static final String HEAD_MARKER = "<!--DG:HEAD-->";

    private static final String WEBJAR_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private WebAssets() {}

    /** The page with {@code head} in place of its head marker. */
    static String page(String head) {
        String html = text("dashboard/index.html");
        int at = html.indexOf(HEAD_MARKER);
        if (at < 0) {
            throw new IllegalStateException("dashboard/index.html has no " + HEAD_MARKER);
        }
        return html.substring(0, at) + head + html.substring(at + HEAD_MARKER.length());
    }

    /** uPlot's version, as its WebJar records it. */
    public static String uplotVersion() {
        try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(WEBJAR_POM)) {
            if (in == null) {
                throw new IllegalStateException("the uPlot WebJar is not on the class path (" + WEBJAR_POM + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** uPlot's script (the minified browser build). */
    static String uplotJs() {
        return text("META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/uPlot.iife.min.js");
    }

    /** uPlot's style sheet. */
    static String uplotCss() {
        return text("META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/uPlot.min.css");
    }

    static String text(String resource) {
        try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code s} safe inside a {@code <script>} or {@code <style>} element. */
    static String inline(String s) {
        return s.replace("</", "<\\/");
    }
}
