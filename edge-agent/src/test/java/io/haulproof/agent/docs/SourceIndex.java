package io.haulproof.agent.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The repository's Java sources as {@link DocsCheck} asks about them. */
record SourceIndex(Set<String> types, Set<String> methods, String mainText, String allText)
    implements DocsCheck.Code {
  private static final Pattern TYPE =
      Pattern.compile("\\b(?:class|record|interface|enum)\\s+([A-Z][A-Za-z0-9]*)");
  private static final Pattern IMPORT = Pattern.compile("(?m)^import [a-z][\\w.]*\\.([A-Z]\\w*);");
  private static final Pattern METHOD = Pattern.compile("\\bvoid\\s+([a-z][A-Za-z0-9_]*)\\s*\\(");

  static SourceIndex of(Path root) throws IOException {
    Set<String> types = new HashSet<>();
    Set<String> methods = new HashSet<>();
    StringBuilder main = new StringBuilder();
    StringBuilder all = new StringBuilder();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files =
          s.filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().contains("/src/"))
              .filter(p -> !p.toString().contains("/target/"))
              .toList();
    }
    for (Path f : files) {
      String text = Files.readString(f);
      Matcher t = TYPE.matcher(text);
      while (t.find()) {
        types.add(t.group(1));
      }
      Matcher i = IMPORT.matcher(text);
      while (i.find()) {
        types.add(i.group(1));
      }
      Matcher m = METHOD.matcher(text);
      while (m.find()) {
        methods.add(m.group(1));
      }
      if (!f.toString().contains("/io/haulproof/agent/docs/")) {
        // the checker's own sources name what they look for: not evidence that it exists
        all.append(text).append('\n');
      }
      if (f.toString().contains("/src/main/java/")) {
        main.append(text).append('\n');
      }
    }
    try (Stream<Path> s = Files.walk(root)) {
      // fuzz targets by their committed corpus directories (src/test/resources/fuzz/<Target>)
      s.filter(Files::isDirectory)
          .filter(p -> p.getParent() != null)
          .filter(p -> p.getParent().endsWith(Path.of("src/test/resources/fuzz")))
          .forEach(p -> types.add(p.getFileName().toString()));
    }
    for (Path unit : List.of(root.resolve("systemd/haulproof-agent.service"))) {
      Matcher d = Pattern.compile("(?m)^#?\\s*([A-Z][A-Za-z]+)=").matcher(Files.readString(unit));
      while (d.find()) {
        types.add(d.group(1)); // systemd directives (ProtectHome, …) are names the docs may show
      }
    }
    return new SourceIndex(Set.copyOf(types), Set.copyOf(methods), main.toString(), all.toString());
  }

  @Override
  public boolean namedInCode(String name) {
    return mainText.contains("\"" + name + "\"");
  }

  /** Declared or imported in the sources, in java.lang, or a name a test spells (fuzz targets). */
  @Override
  public boolean typeExists(String simpleName) {
    if (types.contains(simpleName) || allText.contains("\"" + simpleName + "\"")) {
      return true;
    }
    try {
      Class.forName("java.lang." + simpleName);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  @Override
  public boolean methodExists(String name) {
    return methods.contains(name);
  }
}
