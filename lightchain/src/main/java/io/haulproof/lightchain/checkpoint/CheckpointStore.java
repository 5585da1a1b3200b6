package io.haulproof.lightchain.checkpoint;

import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The latest signed checkpoint of a data dir, {@code DATA/checkpoint/latest.note}, replaced
 * atomically (write a temporary file, force it, rename over, force the directory) so a crash leaves
 * the old or the new note, never half.
 */
public final class CheckpointStore {
  private final Path dir;

  public CheckpointStore(Path dataDir) {
    this.dir = dataDir.resolve("checkpoint");
  }

  public static Path fileIn(Path dataDir) {
    return dataDir.resolve("checkpoint").resolve("latest.note");
  }

  public Path file() {
    return dir.resolve("latest.note");
  }

  /** Replaces the latest checkpoint durably. */
  public void save(SignedNote note) throws IOException {
    DurableFiles.write(file(), note.encodeUtf8());
  }

  /**
   * The latest checkpoint, if one was saved.
   *
   * @throws NoteFormatException if the file is not a well-formed signed note
   */
  public Optional<SignedNote> load() throws IOException {
    Path f = file();
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    return Optional.of(SignedNote.parse(Files.readAllBytes(f)));
  }

  /** The raw text of the latest checkpoint, exactly as stored. */
  public Optional<String> loadText() throws IOException {
    Path f = file();
    return Files.exists(f)
        ? Optional.of(Files.readString(f, StandardCharsets.UTF_8))
        : Optional.empty();
  }
}
