package dev.channels.app;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code command --key value ... --flag ...}: the command line of the application, strictly
 * checked. An option takes a value; a flag takes none and is on when given.
 */
record Args(String command, Map<String, String> options, Set<String> flags) {

  Args {
    options = Map.copyOf(options);
    flags = Set.copyOf(flags);
  }

  static Args parse(String[] argv, Map<String, Set<String>> optionsByCommand, String defaultCommand) {
    return parse(argv, optionsByCommand, Map.of(), defaultCommand);
  }

  /** As {@link #parse(String[], Map, String)}, with the value-less flags each command knows. */
  static Args parse(String[] argv, Map<String, Set<String>> optionsByCommand, Map<String, Set<String>> flagsByCommand,
      String defaultCommand) {
    int first = 0;
    String command = defaultCommand;
    if (argv.length > 0 && !argv[0].startsWith("--")) {
      command = argv[0];
      first = 1;
    }
    Set<String> known = optionsByCommand.get(command);
    if (known == null) {
      throw new IllegalArgumentException("unknown command '" + command + "' (one of " + optionsByCommand.keySet() + ")");
    }
    Set<String> knownFlags = flagsByCommand.getOrDefault(command, Set.of());
    Map<String, String> options = new HashMap<>();
    Set<String> flags = new HashSet<>();
    for (int i = first; i < argv.length; i++) {
      String key = argv[i].startsWith("--") ? argv[i].substring(2) : null;
      if (key != null && knownFlags.contains(key)) {
        if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
          throw new IllegalArgumentException("flag --" + key + " takes no value, not '" + argv[i + 1] + "'");
        }
        flags.add(key);
        continue;
      }
      if (key == null || !known.contains(key)) {
        Set<String> all = new TreeSet<>(known);
        all.addAll(knownFlags);
        throw new IllegalArgumentException("unknown option '" + argv[i] + "' for " + command + " (known: --"
            + String.join(", --", all) + ")");
      }
      if (i + 1 >= argv.length) {
        throw new IllegalArgumentException("option --" + key + " needs a value");
      }
      if (options.put(key, argv[i + 1]) != null) {
        throw new IllegalArgumentException("option --" + key + " is given twice");
      }
      i++;
    }
    return new Args(command, options, flags);
  }

  /** Whether the value-less flag was given. */
  boolean flag(String name) {
    return flags.contains(name);
  }

  int intOption(String key, int fallback, int min) {
    String text = options.get(key);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new IllegalArgumentException("option --" + key + " must be an integer >= " + min + ", not '" + text + "'");
  }

  /** A decimal option such as {@code --seconds 0.5}, at least {@code min} (or above it, if not {@code inclusive}). */
  double doubleOption(String key, double fallback, double min, boolean inclusive) {
    String text = options.get(key);
    if (text == null) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(text);
      if (Double.isFinite(value) && (inclusive ? value >= min : value > min)) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new IllegalArgumentException("option --" + key + " must be a number " + (inclusive ? ">= " : "> ")
        + (min == Math.rint(min) ? String.valueOf((long) min) : String.valueOf(min)) + ", not '" + text + "'");
  }
}
