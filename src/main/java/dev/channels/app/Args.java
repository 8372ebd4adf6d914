package dev.channels.app;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code command --key value ... --flag ...}: the command line of the application, strictly
 * checked. A flag takes no value; present, its option is {@code "true"}.
 */
record Args(String command, Map<String, String> options) {

  static Args parse(String[] argv, Map<String, Set<String>> optionsByCommand, String defaultCommand) {
    return parse(argv, optionsByCommand, Set.of(), defaultCommand);
  }

  /** As {@link #parse(String[], Map, String)}, where the options named in {@code flags} take no value. */
  static Args parse(String[] argv, Map<String, Set<String>> optionsByCommand, Set<String> flags, String defaultCommand) {
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
    Map<String, String> options = new HashMap<>();
    for (int i = first; i < argv.length; i += 2) {
      String key = argv[i].startsWith("--") ? argv[i].substring(2) : null;
      if (key == null || !known.contains(key)) {
        throw new IllegalArgumentException("unknown option '" + argv[i] + "' for " + command + " (known: --"
            + String.join(", --", known) + ")");
      }
      if (flags.contains(key)) {
        options.put(key, "true");
        i--;
        continue;
      }
      if (i + 1 >= argv.length) {
        throw new IllegalArgumentException("option --" + key + " needs a value");
      }
      options.put(key, argv[i + 1]);
    }
    return new Args(command, options);
  }

  /** Whether the value-less option {@code --key} was given. */
  boolean flag(String key) {
    return options.containsKey(key);
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
