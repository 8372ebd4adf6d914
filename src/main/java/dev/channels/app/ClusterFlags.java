package dev.channels.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cluster's part of a command line ({@code serve}, {@code demo}): the flag {@code --cluster}
 * and the options that only mean something with it, checked and turned into
 * {@link ClusterSetup.Options}. A bad value is an {@link IllegalArgumentException} naming the option.
 */
final class ClusterFlags {

  static final String CLUSTER = "cluster";
  static final String CONFIG = "cluster-config";
  static final String NAME = "cluster-name";
  static final String HOST = "cluster-host";
  static final String PORT = "cluster-port";
  static final String HAZELCAST_PORT = "hazelcast-port";
  static final String MEMBERS = "cluster-members";
  static final String TLS_KEY = "tls-key";
  static final String TLS_CERT = "tls-cert";
  static final String TLS_TRUST = "tls-trust";

  /** The options (with a value) of a clustered command. */
  static final Set<String> OPTIONS = Set.of(CONFIG, NAME, HOST, PORT, HAZELCAST_PORT, MEMBERS, TLS_KEY, TLS_CERT,
      TLS_TRUST);

  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._\\-]+|\\[[0-9A-Fa-f:.]+\\]");

  private ClusterFlags() {
  }

  /** The options given with {@code --cluster}; null without it (and then none of them may be given). */
  static ClusterSetup.Options parse(Args args) {
    if (!args.flag(CLUSTER)) {
      for (String option : OPTIONS) {
        if (args.options().containsKey(option)) {
          throw new IllegalArgumentException("option --" + option + " needs --" + CLUSTER);
        }
      }
      return null;
    }
    ClusterSetup.Options options = ClusterSetup.Options.defaults();
    String config = args.options().get(CONFIG);
    if (config != null) {
      options = options.withConfigFile(readableFile(CONFIG, config));
    }
    String name = args.options().get(NAME);
    if (name != null) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("option --" + NAME + " must not be empty");
      }
      options = options.withClusterName(name);
    }
    String host = args.options().get(HOST);
    if (host != null) {
      options = options.withClusterHost(host(HOST, host));
    }
    if (args.options().containsKey(PORT)) {
      options = options.withClusterPort(port(PORT, args.options().get(PORT)));
    }
    if (args.options().containsKey(HAZELCAST_PORT)) {
      options = options.withHazelcastPort(port(HAZELCAST_PORT, args.options().get(HAZELCAST_PORT)));
    }
    String members = args.options().get(MEMBERS);
    if (members != null) {
      options = options.withMembers(members(members));
    }
    return options.withTls(tls(args));
  }

  private static ClusterSetup.Tls tls(Args args) {
    String key = args.options().get(TLS_KEY);
    String cert = args.options().get(TLS_CERT);
    String trust = args.options().get(TLS_TRUST);
    if (key == null && cert == null && trust == null) {
      return null;
    }
    if (key == null || cert == null || trust == null) {
      throw new IllegalArgumentException("options --" + TLS_KEY + ", --" + TLS_CERT + " and --" + TLS_TRUST
          + " go together (missing: --" + (key == null ? TLS_KEY : cert == null ? TLS_CERT : TLS_TRUST) + ")");
    }
    return new ClusterSetup.Tls(readableFile(TLS_KEY, key), readableFile(TLS_CERT, cert),
        readableFile(TLS_TRUST, trust));
  }

  private static List<String> members(String text) {
    List<String> members = new ArrayList<>();
    for (String member : text.split(",", -1)) {
      String trimmed = member.trim();
      int colon = trimmed.lastIndexOf(':');
      boolean hasPort = colon > 0 && !trimmed.endsWith("]") && trimmed.indexOf(':') == colon
          || trimmed.startsWith("[") && colon > trimmed.indexOf(']');
      String host = hasPort ? trimmed.substring(0, colon) : trimmed;
      if (!HOST_NAME.matcher(host).matches()) {
        throw new IllegalArgumentException("option --" + MEMBERS + " must be HOST[:PORT],..., not '" + text + "'");
      }
      if (hasPort) {
        port(MEMBERS, trimmed.substring(colon + 1));
      }
      members.add(trimmed);
    }
    return members;
  }

  private static String host(String option, String text) {
    if (!HOST_NAME.matcher(text).matches()) {
      throw new IllegalArgumentException("option --" + option + " must be a host name or address, not '" + text + "'");
    }
    return text;
  }

  private static int port(String option, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new IllegalArgumentException("option --" + option + " must be a port from 1 to 65535, not '" + text + "'");
  }

  private static Path readableFile(String option, String text) {
    Path file = Path.of(text);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("option --" + option + ": no readable file '" + text + "'");
    }
    return file;
  }
}
