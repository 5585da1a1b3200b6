package io.haulproof.lightchain.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Regression mode for a module's fuzz targets (extend it as {@code *FuzzCorpusTest}): every
 * committed corpus input, seeds and past findings alike, is run through its target on every build.
 */
public abstract class FuzzCorpusCheck {
  protected abstract FuzzRegistry registry();

  private Path root() {
    return FuzzCorpus.root(getClass());
  }

  @TestFactory
  Stream<DynamicTest> corpus_everyCommittedInput_targetHoldsItsProperties() {
    List<DynamicTest> tests = new ArrayList<>();
    for (FuzzTarget t : registry().targets()) {
      for (Path f : FuzzCorpus.files(root(), t.name())) {
        tests.add(
            DynamicTest.dynamicTest(
                t.name() + "/" + f.getFileName(), () -> t.body().run(Files.readAllBytes(f))));
      }
    }
    return tests.stream();
  }

  @Test
  void corpus_everyTarget_hasCommittedInputsAndNoFolderIsOrphaned() {
    List<String> names = registry().targets().stream().map(FuzzTarget::name).toList();
    assertThat(names).doesNotHaveDuplicates();
    for (String n : names) {
      assertThat(FuzzCorpus.files(root(), n)).as("committed corpus of %s", n).isNotEmpty();
    }
    assertThat(names).containsAll(FuzzCorpus.folders(root()));
  }

  /**
   * With {@code -Dfuzz.writeSeeds=true} ({@code bench/fuzz.sh --write-seeds}) the missing seed
   * files are written first, into {@code src/test/resources/fuzz} and the build's copy.
   */
  @Test
  void seeds_everyGeneratedSeed_isCommitted() throws Exception {
    if (Boolean.getBoolean("fuzz.writeSeeds")) {
      Path module = root().getParent().getParent().getParent();
      FuzzSeedWriter.write(registry(), module.resolve("src/test/resources/fuzz"));
      FuzzSeedWriter.write(registry(), root());
    }
    // (regenerate with bench/fuzz.sh --write-seeds after deleting the stale files)
    for (FuzzTarget t : registry().targets()) {
      List<byte[]> seeds = t.seeds().make();
      assertThat(seeds).as("seeds of %s", t.name()).isNotEmpty();
      for (int i = 0; i < seeds.size(); i++) {
        Path f = root().resolve(t.name()).resolve(String.format("seed-%02d", i));
        assertThat(f).as("committed seed").exists();
      }
    }
  }
}
