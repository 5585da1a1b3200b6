package io.haulproof.lightchain.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableWriterTest {
  @TempDir Path tmp;

  /** One observed fsync: which path, and what the target held at that moment. */
  private record Force(Path path, String targetThen, boolean tempThen) {}

  private final List<Force> forces = new ArrayList<>();

  private DurableWriter recording(Path target) {
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    return new DurableWriter(
        (path, options, attrs) ->
            new ForwardingFileChannel(FileChannel.open(path, options, attrs)) {
              @Override
              public void force(boolean metaData) throws IOException {
                super.force(metaData);
                forces.add(
                    new Force(
                        path,
                        Files.exists(target)
                            ? Files.readString(target, StandardCharsets.UTF_8)
                            : null,
                        Files.exists(temp)));
              }
            });
  }

  @Test
  void write_newFile_forcesTempBeforeRenameAndDirectoryAfterIt() throws IOException {
    // given
    Path target = tmp.resolve("state");
    Files.writeString(target, "old");

    // when
    recording(target)
        .write(target, "new".getBytes(StandardCharsets.UTF_8), DurableFiles.OWNER_ONLY);

    // then
    assertThat(forces)
        .containsExactly(
            new Force(tmp.resolve(".state.tmp"), "old", true), new Force(tmp, "new", false));
    assertThat(Files.readString(target)).isEqualTo("new");
  }

  @Test
  void write_missingParents_createsThem0700AndSyncsEachParent() throws IOException {
    // given
    Path target = tmp.resolve("a/b/state");

    // when
    recording(target).write(target, new byte[] {1}, DurableFiles.OWNER_ONLY);

    // then
    assertThat(forces.stream().map(Force::path))
        .containsExactly(tmp, tmp.resolve("a"), tmp.resolve("a/b/.state.tmp"), tmp.resolve("a/b"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("a"))))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("a/b"))))
        .isEqualTo("rwx------");
  }

  @Test
  void write_defaultMode_is0600AndPublicModeIs0644() throws IOException {
    // given
    Path secret = tmp.resolve("secret");
    Path pub = tmp.resolve("pub.pem");
    Files.writeString(secret, "old");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-rw-rw-"));

    // when
    DurableFiles.write(secret, new byte[] {1});
    DurableFiles.write(pub, new byte[] {2}, DurableFiles.PUBLIC_READ);

    // then
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pub)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void write_staleTempFromACrash_isReplacedAndRemoved() throws IOException {
    // given
    Path target = tmp.resolve("cursor");
    Files.writeString(tmp.resolve(".cursor.tmp"), "half-written garbage from before the cut");

    // when
    DurableFiles.write(target, "12".getBytes(StandardCharsets.US_ASCII));

    // then
    assertThat(Files.readString(target)).isEqualTo("12");
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("cursor");
    }
  }

  @Test
  void write_fsyncFails_keepsOldContentsAndLeavesNoTemp() throws IOException {
    // given
    Path target = tmp.resolve("state");
    Files.writeString(target, "old");
    DurableWriter failing =
        new DurableWriter(
            (path, options, attrs) ->
                new ForwardingFileChannel(FileChannel.open(path, options, attrs)) {
                  @Override
                  public void force(boolean metaData) throws IOException {
                    throw new IOException("EIO on fsync of " + path);
                  }
                });

    // when / then
    assertThatThrownBy(() -> failing.write(target, new byte[] {9}, DurableFiles.OWNER_ONLY))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("EIO on fsync");
    assertThat(Files.readString(target)).isEqualTo("old");
    assertThat(tmp.resolve(".state.tmp")).doesNotExist();
  }

  @Test
  void createPrivateDirectories_existingDirectory_keepsItsModeAndSyncsNothing() throws IOException {
    // given
    Path dir = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    // when
    recording(dir.resolve("x")).createDirectories(dir);

    // then
    assertThat(forces).isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwxr-xr-x");
  }
}
