package io.haulproof.agent.docs;

import io.haulproof.agent.cli.DeprecatedFlags;
import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.ConfigException;
import io.haulproof.agent.config.ConfigLoader;
import io.haulproof.agent.runtime.ConfigOverlay;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Checks one markdown text against the code: every {@code haulproof <command> … --flag} in a code
 * block or inline code must name a command that exists and a flag that command accepts (asked of
 * the real picocli model), and every {@code yaml} block must use only keys the agent's config
 * parser accepts ({@link ConfigLoader#checkKeys}), as must inline setting paths ({@code
 * keystore.pinFile}); management {@code --set} keys must be ones the agent understands; inline
 * class and test names must exist. Returns one line per mismatch, naming file and line.
 */
final class DocsCheck {
  private static final Pattern INLINE = Pattern.compile("`([^`\n]+)`");
  private static final Pattern SHELL_VAR =
      Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)=\"(.*)\"\\s*$");
  private static final Pattern PROGRAM = Pattern.compile("(?:\\S*/)?haulproof");

  /**
   * Tokens after which a {@code haulproof} token starts a command (not e.g. a unit or user name).
   */
  private static final Set<String> COMMAND_START =
      Set.of("sudo", "|", "&&", "||", ";", "$(", "exec", "time", "nice", "then", "do", "xargs");

  /** A {@code # key: value} comment inside a YAML block: an optional key shown commented out. */
  private static final Pattern COMMENTED_KEY =
      Pattern.compile("^(\\s*)#\\s?([A-Za-z][A-Za-z0-9]*:(?:\\s.*)?)$");

  private final CommandSpec root;
  private static final Pattern CONFIG_PATH =
      Pattern.compile("[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)+");
  private static final Set<String> SECTIONS =
      java.util.Arrays.stream(AgentConfig.class.getRecordComponents())
          .map(java.lang.reflect.RecordComponent::getName)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private final ConfigLoader config = new ConfigLoader();
  private int configPaths;
  private int invocations;
  private int yamlBlocks;

  private static final Set<String> FILE_SUFFIXES =
      Set.of("pem", "crt", "key", "der", "p8", "yaml", "yml", "json", "md", "jar", "conf", "acl");

  /** {@code FooBar}, {@code FooBarIT}, {@code FooBar.member}: at least two capitalised humps. */
  private static final Pattern TYPE_NAME =
      Pattern.compile(
          "([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+[A-Z]*)(?:\\.[A-Za-z_][A-Za-z0-9_]*(?:\\(\\))?)?");

  /** A test name has camelCase parts; all-lowercase snake_case is a metric or a field. */
  private static final Pattern TEST_NAME =
      Pattern.compile("(?=.*[A-Z])[a-z][A-Za-z0-9]*_[a-z][A-Za-z0-9]*_[a-z][A-Za-z0-9]*");

  /** What the sources contain. */
  interface Code {
    /** Whether a string literal {@code "name"} occurs in the main sources. */
    boolean namedInCode(String name);

    boolean typeExists(String simpleName);

    boolean methodExists(String name);
  }

  private final Code code;
  private final Set<String> history;
  private int codeNames;

  DocsCheck(CommandSpec root, Code code) {
    this(root, code, Set.of());
  }

  /**
   * @param history class names the docs mention as gone (what a change replaced); each must really
   *     be gone
   */
  DocsCheck(CommandSpec root, Code code, Set<String> history) {
    this.root = root;
    this.code = code;
    this.history = history;
    for (String h : history) {
      if (code.typeExists(h)) {
        throw new IllegalArgumentException(h + " exists: it is not history");
      }
    }
  }

  List<String> check(String file, String markdown) {
    List<String> problems = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    Map<String, String> vars = new HashMap<>();
    String fenceLang = null;
    int fenceStart = 0;
    StringBuilder block = new StringBuilder();
    StringBuilder command = new StringBuilder();
    int commandLine = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      if (trimmed.startsWith("```")) {
        if (fenceLang == null) {
          fenceLang = trimmed.substring(3).strip();
          fenceStart = i + 1;
          block.setLength(0);
          command.setLength(0);
        } else {
          if (fenceLang.equals("yaml")) {
            checkYaml(file, fenceStart + 1, block.toString(), problems);
          }
          fenceLang = null;
        }
        continue;
      }
      if (fenceLang != null) {
        block.append(line).append('\n');
        if (isShell(fenceLang)) {
          if (command.length() == 0) {
            commandLine = i + 1;
          }
          String body = stripComment(line);
          if (body.endsWith("\\")) {
            command.append(body, 0, body.length() - 1).append(' ');
            continue;
          }
          command.append(body);
          String cmd = command.toString();
          command.setLength(0);
          Matcher v = SHELL_VAR.matcher(cmd);
          if (v.matches()) {
            vars.put(v.group(1), v.group(2));
          } else {
            checkCommand(file, commandLine, expand(cmd, vars), problems);
          }
        }
        continue;
      }
      Matcher m = INLINE.matcher(line);
      while (m.find()) {
        checkCommand(file, i + 1, m.group(1), problems);
        checkConfigPath(file, i + 1, m.group(1), problems);
        checkCodeName(file, i + 1, m.group(1), problems);
      }
    }
    return problems;
  }

  private static boolean isShell(String lang) {
    return lang.isEmpty() || lang.equals("sh") || lang.equals("bash") || lang.equals("console");
  }

  private static String stripComment(String line) {
    int hash = line.indexOf(" #");
    String body = hash >= 0 ? line.substring(0, hash) : line;
    return body.startsWith("#") ? "" : body.stripTrailing();
  }

  private static String expand(String cmd, Map<String, String> vars) {
    String out = cmd;
    for (Map.Entry<String, String> e : vars.entrySet()) {
      out = out.replace("$" + e.getKey(), e.getValue());
    }
    return out;
  }

  private void checkCommand(String file, int line, String text, List<String> problems) {
    String[] tokens = text.replace("\"", " ").replace("'", " ").strip().split("\\s+");
    for (int i = 0; i < tokens.length; i++) {
      if (!PROGRAM.matcher(tokens[i]).matches()
          || (i > 0 && !COMMAND_START.contains(tokens[i - 1]))) {
        continue;
      }
      checkInvocation(file, line, tokens, i + 1, problems);
    }
    // inline code that names a command without the program, e.g. `provision mgmt --op config`
    if (tokens.length >= 2
        && root.subcommands().containsKey(tokens[0])
        && (tokens[1].startsWith("--")
            || root.subcommands().get(tokens[0]).getSubcommands().containsKey(tokens[1]))) {
      checkInvocation(file, line, tokens, 0, problems);
    }
  }

  private void checkInvocation(
      String file, int line, String[] tokens, int from, List<String> problems) {
    CommandSpec spec = root;
    String name = "haulproof";
    boolean commandsDone = false;
    invocations++;
    int end = from;
    while (end < tokens.length
        && !Set.of("|", "&&", "||", ";", "<", ">", "2>", ">>").contains(tokens[end])
        && !tokens[end].startsWith(")")) {
      end++;
    }
    List<String> sets = new ArrayList<>();
    String op = null;
    for (int i = from; i < end; i++) {
      String t = trim(tokens[i]);
      if (i + 1 < end && t.equals("--set")) {
        sets.add(trim(tokens[i + 1]));
      } else if (i + 1 < end && t.equals("--op")) {
        op = trim(tokens[i + 1]);
      }
    }
    for (int i = from; i < end; i++) {
      String t = trim(tokens[i]);
      if (t.isEmpty()) {
        continue;
      }
      if (t.startsWith("--")) {
        commandsDone = true;
        String flag = t.contains("=") ? t.substring(0, t.indexOf('=')) : t;
        if (flag.equals("--") || flag.contains("…") || flag.contains("<")) {
          continue;
        }
        if (DeprecatedFlags.ALIASES.containsKey(flag) && spec.findOption(flag) != null) {
          problems.add(
              file
                  + ":"
                  + line
                  + ": `"
                  + name
                  + "` example uses the old name "
                  + flag
                  + ", write "
                  + DeprecatedFlags.ALIASES.get(flag));
        } else if (spec.findOption(flag) == null) {
          problems.add(
              file
                  + ":"
                  + line
                  + ": `"
                  + name
                  + "` has no option "
                  + flag
                  + " (in: "
                  + text(tokens)
                  + ")");
        }
        continue;
      }
      if (commandsDone
          || t.startsWith("-")
          || t.startsWith("<")
          || t.startsWith("[")
          || t.startsWith("…")
          || t.startsWith("$")
          || t.startsWith("{")) {
        commandsDone = true;
        continue;
      }
      if (!spec.subcommands().isEmpty()) {
        CommandLine sub = spec.subcommands().get(t);
        if (sub == null) {
          problems.add(
              file
                  + ":"
                  + line
                  + ": `"
                  + name
                  + "` has no subcommand "
                  + t
                  + " (in: "
                  + text(tokens)
                  + ")");
          return;
        }
        spec = sub.getCommandSpec();
        name = name + " " + t;
      } else {
        commandsDone = true;
      }
    }
    if (name.equals("haulproof provision enroll")
        || (name.equals("haulproof provision mgmt") && "config".equals(op))) {
      for (String set : sets) {
        String key = set.contains("=") ? set.substring(0, set.indexOf('=')) : set;
        if (!key.contains("<") && !key.contains("…") && !ConfigOverlay.understood(key)) {
          problems.add(
              file + ":" + line + ": the agent refuses management config key " + key + " (--set)");
        }
      }
    }
  }

  /** Brackets of optional parts and punctuation of prose or log lines around a token. */
  private static String trim(String token) {
    return token.replaceAll("^[\\[(]+", "").replaceAll("[\\]),.:;]+$", "");
  }

  /** How many YAML blocks were checked so far. */
  int yamlBlocks() {
    return yamlBlocks;
  }

  /** How many {@code haulproof} invocations were checked so far. */
  int invocations() {
    return invocations;
  }

  private static String text(String[] tokens) {
    return String.join(" ", tokens);
  }

  /** Inline {@code section.key[.key…]} naming a YAML setting, e.g. {@code keystore.pinFile}. */
  private void checkConfigPath(String file, int line, String text, List<String> problems) {
    if (!CONFIG_PATH.matcher(text).matches()) {
      return;
    }
    String[] parts = text.split("\\.");
    if (!SECTIONS.contains(parts[0])) {
      return;
    }
    configPaths++;
    StringBuilder yaml = new StringBuilder();
    for (int d = 0; d < parts.length; d++) {
      yaml.append("  ".repeat(d)).append(parts[d]).append(":\n");
    }
    try {
      config.checkKeys(yaml.toString());
    } catch (ConfigException e) {
      if (!notASetting(text)) {
        problems.add(file + ":" + line + ": setting `" + text + "`: " + e.getMessage());
      }
    }
  }

  /**
   * A dotted name that is not a YAML setting, as the code shows: a management config key, a Java
   * package, a file name, or a name the code spells as a string literal (counters, log events).
   */
  private boolean notASetting(String text) {
    String last = text.substring(text.lastIndexOf('.') + 1);
    if (ConfigOverlay.understood(text) || FILE_SUFFIXES.contains(last) || code.namedInCode(text)) {
      return true;
    }
    String dir = text.replace('.', '/');
    ClassLoader cl = DocsCheck.class.getClassLoader();
    for (String prefix : List.of("io/haulproof/", "io/haulproof/agent/", "io/haulproof/drivers/")) {
      if (cl.getResource(prefix + dir) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Inline {@code ClassName}, {@code ClassName.member} or {@code subject_condition_result} (a test)
   * must name something that exists in the sources, so that a renamed class or test shows up.
   */
  private void checkCodeName(String file, int line, String text, List<String> problems) {
    Matcher type = TYPE_NAME.matcher(text);
    if (type.matches()) {
      codeNames++;
      if (!code.typeExists(type.group(1)) && !history.contains(type.group(1))) {
        problems.add(file + ":" + line + ": no class, record, interface or enum " + type.group(1));
      }
    } else if (TEST_NAME.matcher(text).matches()) {
      codeNames++;
      if (!code.methodExists(text)) {
        problems.add(file + ":" + line + ": no test method " + text);
      }
    }
  }

  /** How many class and test names were checked so far. */
  int codeNames() {
    return codeNames;
  }

  /** How many inline setting paths were checked so far. */
  int configPaths() {
    return configPaths;
  }

  private void checkYaml(String file, int line, String yaml, List<String> problems) {
    yamlBlocks++;
    StringBuilder uncommented = new StringBuilder();
    for (String l : yaml.split("\n", -1)) {
      Matcher m = COMMENTED_KEY.matcher(l);
      uncommented.append(m.matches() ? m.group(1) + m.group(2) : l).append('\n');
    }
    try {
      config.checkKeys(uncommented.toString());
    } catch (ConfigException e) {
      problems.add(file + ":" + line + ": yaml block: " + e.getMessage());
    }
  }
}
