package io.driftguard.connectors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.operators.model.ModelArtifact;
import io.driftguard.operators.model.ModelCodec;
import io.driftguard.operators.model.ModelStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryModelStoreTest {

    @TempDir Path dir;

    @Test
    void publishedVersionsListInIdThenVersionOrder() {
        DirectoryModelStore store = new DirectoryModelStore(dir.resolve("models"));
        assertThat(store.list()).isEmpty();
        assertThat(store.nextVersion("pump-1")).isEqualTo(1);
        ModelArtifact b2 = TestModels.mlp("pump-2", 2, 7);
        ModelArtifact a1 = TestModels.mlp("pump-1", 1, 1);
        ModelArtifact a2 = TestModels.mlp("pump-1", 2, 2);
        ModelArtifact a10 = TestModels.mlp("pump-1", 10, 3);
        for (ModelArtifact a : List.of(b2, a10, a1, a2)) {
            store.publish(a);
        }
        assertThat(store.list()).containsExactly(a1, a2, a10, b2);
        assertThat(store.rejected()).isEmpty();
        assertThat(store.list("pump-1")).containsExactly(a1, a2, a10);
        assertThat(store.find("pump-2", 2)).contains(b2);
        assertThat(store.find("pump-2", 1)).isEmpty();
        assertThat(store.nextVersion("pump-1")).isEqualTo(11);
        assertThat(store.nextVersion("pump-2")).isEqualTo(3);
        assertThat(dir.resolve("models/pump-1/v0000000010.dgm")).isRegularFile();
        // a fresh store over the same directory sees the same versions
        assertThat(new DirectoryModelStore(dir.resolve("models")).list()).containsExactly(a1, a2, a10, b2);
    }

    @Test
    void aVersionIsWrittenOnceAndItsRevocationReplacesItInTheList() throws IOException {
        DirectoryModelStore store = new DirectoryModelStore(dir);
        ModelArtifact v1 = TestModels.mlp("m", 1, 1);
        ModelArtifact v2 = TestModels.mlp("m", 2, 2);
        store.publish(v1);
        store.publish(v2);
        assertThatThrownBy(() -> store.publish(TestModels.mlp("m", 2, 99)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exists");
        ModelArtifact revoked = v2.revoked("bad data upstream");
        store.publish(revoked);
        assertThat(dir.resolve("m/v0000000002.dgm")).isRegularFile();
        assertThat(dir.resolve("m/v0000000002.revoked.dgm")).isRegularFile();
        assertThat(ModelCodec.decode(Files.readAllBytes(dir.resolve("m/v0000000002.dgm")))).isEqualTo(v2);
        List<ModelArtifact> listed = store.list();
        assertThat(listed).containsExactly(v1, revoked);
        assertThat(listed.get(1).status()).isEqualTo(ModelStatus.REVOKED);
        assertThat(listed.get(1).reason()).isEqualTo("bad data upstream");
        assertThat(store.nextVersion("m")).isEqualTo(3);
    }

    @Test
    void corruptAndMisplacedFilesAreSkippedWithAReason() throws IOException {
        DirectoryModelStore store = new DirectoryModelStore(dir);
        ModelArtifact v1 = TestModels.mlp("m", 1, 1);
        ModelArtifact v2 = TestModels.mlp("m", 2, 2);
        store.publish(v1);
        store.publish(v2);
        Path f2 = dir.resolve("m/v0000000002.dgm");
        byte[] bytes = Files.readAllBytes(f2);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(f2, bytes);
        // version 3's file holds version 1's bytes
        Files.write(dir.resolve("m/v0000000003.dgm"), ModelCodec.encode(v1));
        Files.write(dir.resolve("m/v0000000004.dgm"), new byte[] {1, 2, 3});
        Files.writeString(dir.resolve("m/notes.txt"), "ignored");

        assertThat(store.list()).containsExactly(v1);
        assertThat(store.rejected()).hasSize(3);
        assertThat(store.rejected().get(0)).startsWith("m/v0000000002.dgm: ").contains("checksum mismatch");
        assertThat(store.rejected().get(1)).startsWith("m/v0000000003.dgm: ").contains("holds m@1");
        assertThat(store.rejected().get(2)).startsWith("m/v0000000004.dgm: ").contains("corrupt model record");
        // a corrupt file still holds its version number
        assertThat(store.nextVersion("m")).isEqualTo(5);
    }

    @Test
    void writesLeaveNoTemporaryFiles() throws IOException {
        DirectoryModelStore store = new DirectoryModelStore(dir);
        for (int v = 1; v <= 5; v++) {
            store.publish(TestModels.mlp("m", v, v));
        }
        store.publish(TestModels.mlp("m", 3, 3).revoked("r"));
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("v0000000001.dgm", "v0000000002.dgm", "v0000000003.dgm",
                            "v0000000003.revoked.dgm", "v0000000004.dgm", "v0000000005.dgm");
        }
        // a temporary file left by a crashed writer is ignored
        Files.write(dir.resolve("m/.v0000000006.dgm.123.tmp"), new byte[] {9});
        assertThat(store.list()).hasSize(5);
        assertThat(store.rejected()).isEmpty();
    }

    @Test
    void modelIdsAreUrlEncodedAndStayInsideTheDirectory() {
        DirectoryModelStore store = new DirectoryModelStore(dir.resolve("models"));
        ModelArtifact slash = TestModels.mlp("site/pump 1", 1, 1);
        ModelArtifact dots = TestModels.mlp("..", 1, 2);
        ModelArtifact unicode = TestModels.mlp("pömpe.1", 1, 3);
        store.publish(slash);
        store.publish(dots);
        store.publish(unicode);
        assertThat(dir.resolve("models/site%2Fpump+1/v0000000001.dgm")).isRegularFile();
        assertThat(dir.resolve("models/%2E./v0000000001.dgm")).isRegularFile();
        assertThat(dir.resolve("models/p%C3%B6mpe.1/v0000000001.dgm")).isRegularFile();
        assertThat(store.list()).containsExactly(dots, unicode, slash);
        assertThat(store.rejected()).isEmpty();
    }

    @Test
    void aRevocationFileMustHoldARevokedVersion() throws IOException {
        DirectoryModelStore store = new DirectoryModelStore(dir);
        ModelArtifact v1 = TestModels.mlp("m", 1, 1);
        store.publish(v1);
        Files.createDirectories(dir.resolve("m"));
        Files.write(dir.resolve("m/v0000000001.revoked.dgm"), ModelCodec.encode(v1));
        assertThat(store.list()).containsExactly(v1);
        assertThat(store.rejected()).singleElement().asString()
                .startsWith("m/v0000000001.revoked.dgm: holds status accepted");
    }
}
