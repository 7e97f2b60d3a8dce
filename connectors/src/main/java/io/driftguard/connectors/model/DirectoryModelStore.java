package io.driftguard.connectors.model;

import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import io.driftguard.operators.model.ModelStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model directory (the store under {@code replay}): one file per version,
 *
 * <pre>
 * &lt;dir&gt;/&lt;model id, URL-encoded&gt;/v&lt;version, zero-padded to 10 digits&gt;.dgm          the version
 * &lt;dir&gt;/&lt;model id, URL-encoded&gt;/v&lt;version, zero-padded to 10 digits&gt;.revoked.dgm  its revocation
 * </pre>
 *
 * each holding {@link ModelCodec} bytes. The model id is encoded as {@link URLEncoder} does in
 * UTF-8, with a leading {@code .} written {@code %2E} (so that ids such as {@code ..} stay inside
 * the directory).
 *
 * <p>Append-only: a version's file is written once; its revocation is a second file, and {@link
 * #list()} returns the revoked form when both exist. Every file is written to a temporary file in
 * the same directory, forced to disk and moved into place with {@link
 * StandardCopyOption#ATOMIC_MOVE}, so a reader never sees a partial file. Files whose names do not
 * follow the pattern (temporary files among them) are ignored.
 */
public final class DirectoryModelStore implements ModelStore {

    private static final Pattern FILE = Pattern.compile("v(\\d{10,19})(\\.revoked)?\\.dgm");
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path root;
    private volatile List<String> rejected = List.of();

    /** A store over {@code root}, which need not exist until the first {@link #publish}. */
    public DirectoryModelStore(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** The model directory. */
    public Path root() {
        return root;
    }

    /** The directory name of a model id. */
    public static String encodeId(String modelId) {
        String e = URLEncoder.encode(modelId, StandardCharsets.UTF_8);
        return e.startsWith(".") ? "%2E" + e.substring(1) : e;
    }

    /** The model id a directory name stands for. */
    public static String decodeId(String dirName) {
        return URLDecoder.decode(dirName, StandardCharsets.UTF_8);
    }

    /** The file name of a version, or of its revocation. */
    public static String fileName(long version, boolean revoked) {
        return String.format(Locale.ROOT, "v%010d%s.dgm", version, revoked ? ".revoked" : "");
    }

    /** Where a version (or its revocation, when its status is revoked) is stored. */
    public Path pathOf(ModelArtifact a) {
        return root.resolve(encodeId(a.modelId())).resolve(fileName(a.version(), a.status() == ModelStatus.REVOKED));
    }

    @Override
    public List<ModelArtifact> list() {
        List<String> bad = new ArrayList<>();
        List<ModelArtifact> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            if (Files.exists(root)) {
                throw new UncheckedIOException(new IOException("not a directory: " + root));
            }
            rejected = List.of();
            return out;
        }
        for (Path idDir : sortedEntries(root)) {
            if (!Files.isDirectory(idDir)) {
                continue;
            }
            String dirName = idDir.getFileName().toString();
            String modelId;
            try {
                modelId = decodeId(dirName);
            } catch (IllegalArgumentException e) {
                bad.add(dirName + ": not a URL-encoded model id: " + e.getMessage());
                continue;
            }
            if (!encodeId(modelId).equals(dirName)) {
                bad.add(dirName + ": not the directory name of a model id (model " + modelId + " lives in "
                        + encodeId(modelId) + ")");
                continue;
            }
            // version -> [plain, revoked]
            Map<Long, ModelArtifact[]> versions = new TreeMap<>();
            for (Path f : sortedEntries(idDir)) {
                Matcher m = FILE.matcher(f.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(f)) {
                    continue;
                }
                String where = dirName + "/" + f.getFileName();
                long version;
                try {
                    version = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    bad.add(where + ": version out of range");
                    continue;
                }
                boolean revokedFile = m.group(2) != null;
                ModelArtifact a;
                try {
                    a = ModelCodec.decode(Files.readAllBytes(f));
                } catch (IllegalArgumentException e) {
                    bad.add(where + ": " + e.getMessage());
                    continue;
                } catch (NoSuchFileException e) {
                    continue;
                } catch (IOException e) {
                    bad.add(where + ": unreadable: " + e.getMessage());
                    continue;
                }
                if (!a.modelId().equals(modelId) || a.version() != version) {
                    bad.add(where + ": holds " + a.storeKey() + ", not " + modelId + "@" + version);
                    continue;
                }
                if (revokedFile != (a.status() == ModelStatus.REVOKED)) {
                    bad.add(where + ": holds status " + a.status().jsonName() + " under a "
                            + (revokedFile ? "revocation" : "version") + " file name");
                    continue;
                }
                versions.computeIfAbsent(version, v -> new ModelArtifact[2])[revokedFile ? 1 : 0] = a;
            }
            for (ModelArtifact[] pair : versions.values()) {
                out.add(pair[1] != null ? pair[1] : pair[0]);
            }
        }
        out.sort(ORDER);
        rejected = Collections.unmodifiableList(bad);
        return out;
    }

    @Override
    public List<String> rejected() {
        return rejected;
    }

    @Override
    public void publish(ModelArtifact artifact) {
        Path target = pathOf(artifact);
        Path dir = target.getParent();
        byte[] bytes = ModelCodec.encode(artifact);
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            if (artifact.status() != ModelStatus.REVOKED
                    && Files.exists(target)) {
                throw new IllegalStateException("version " + artifact.version() + " of model "
                        + artifact.modelId() + " exists in " + dir + "; publish a new version instead");
            }
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            syncDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("version " + artifact.version() + " of model "
                    + artifact.modelId() + " exists in " + dir, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort; list() ignores temporary files
                }
            }
        }
    }

    @Override
    public long nextVersion(String modelId) {
        Path dir = root.resolve(encodeId(modelId));
        long max = 0;
        if (Files.isDirectory(dir)) {
            for (Path f : sortedEntries(dir)) {
                Matcher m = FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    try {
                        max = Math.max(max, Long.parseLong(m.group(1)));
                    } catch (NumberFormatException ignored) {
                        // out of range: list() reports it
                    }
                }
            }
        }
        if (max == Long.MAX_VALUE) {
            throw new IllegalStateException("model " + modelId + " has no version numbers left");
        }
        return max + 1;
    }

    private static List<Path> sortedEntries(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                out.add(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        Collections.sort(out);
        return out;
    }

    /** Makes the rename durable where the platform allows opening a directory. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported on this platform; the rename itself is atomic
        }
    }
}
