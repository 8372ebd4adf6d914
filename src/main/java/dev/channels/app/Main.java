package dev.channels.app;

import dev.channels.ChannelHostVerticle;
import dev.channels.app.bench.Bench;
import dev.channels.app.bench.BenchReport;
import dev.channels.app.bench.BenchSettings;
import dev.channels.app.bench.ClusterBench;
import dev.channels.app.bench.ClusterBenchReport;
import dev.channels.impl.host.HostConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line: {@code serve} (default) runs a node hosting channels; {@code demo} shows the
 * main job end to end in one process; {@code bench} measures the host over the event bus.
 *
 * <pre>
 * java -jar target/vertx-channels.jar [serve] [--conf FILE] [--cluster [--cluster-name NAME] [--hazelcast-port PORT] ...]
 * java -jar target/vertx-channels.jar demo [--producers 3] [--workers 4] [--items 60000] [--capacity 100]
 * java -jar target/vertx-channels.jar bench [--producers 2] [--consumers 2] [--seconds 5] [--warmup 4] [--capacity 1000] [--batch 100] [--latency-takes 4] [--rounds 3]
 * java -jar target/vertx-channels.jar bench --cluster [--producers 4] [--consumers 4] [--seconds 3] [--warmup 2] [--capacity 1000] [--batch 100] [--rounds 3]
 * </pre>
 */
public final class Main {

  static final String DEFAULT_CONFIG_RESOURCE = "conf/config.json";

  static final Map<String, Set<String>> OPTIONS = Map.of(
      "serve", with(ClusterFlags.OPTIONS, "conf"),
      "demo", with(ClusterFlags.OPTIONS, "producers", "workers", "items", "capacity", "address"),
      "bench", Set.of("producers", "consumers", "seconds", "warmup", "capacity", "batch", "latency-takes", "rounds"),
      "help", Set.of());

  /** The value-less flags of each command. */
  static final Map<String, Set<String>> FLAGS = Map.of(
      "serve", Set.of(ClusterFlags.CLUSTER),
      "demo", Set.of(ClusterFlags.CLUSTER, "replicated"),
      "bench", Set.of(ClusterFlags.CLUSTER));

  private Main() {
  }

  public static void main(String[] argv) {
    System.setProperty("java.util.logging.SimpleFormatter.format",
        System.getProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n"));
    Args args;
    try {
      args = Args.parse(argv, OPTIONS, FLAGS, "serve");
    } catch (IllegalArgumentException bad) {
      System.err.println("error: " + bad.getMessage());
      usage();
      System.exit(2);
      return;
    }
    switch (args.command()) {
      case "serve" -> serve(args);
      case "demo" -> demo(args);
      case "bench" -> bench(args);
      default -> usage();
    }
  }

  private static void serve(Args args) {
    ClusterSetup.Options cluster;
    try {
      cluster = ClusterFlags.parse(args);
    } catch (IllegalArgumentException bad) {
      System.err.println("error: " + bad.getMessage());
      System.exit(2);
      return;
    }
    JsonObject config;
    String address;
    try {
      config = loadConfig(args.options().get("conf"));
      address = HostConfig.from(config).address();
    } catch (IOException | RuntimeException unreadable) {
      System.err.println("error: cannot read configuration: " + unreadable.getMessage());
      System.exit(2);
      return;
    }
    if (cluster != null) {
      serveClustered(new ClusterSetup(cluster), config, address);
      return;
    }
    Vertx vertx = Vertx.vertx();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
    vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config))
        .onFailure(failure -> {
          System.err.println("error: the host did not start: " + failure.getMessage());
          vertx.close().onComplete(closed -> System.exit(1));
        });
  }

  /**
   * Joins the cluster, deploys the host, and says so in one line on standard output (the line a
   * script or a test waits for); the host leaves the cluster on SIGTERM.
   */
  private static void serveClustered(ClusterSetup cluster, JsonObject config, String address) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster.close().await()));
    cluster.start()
        .compose(vertx -> vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config)))
        .onSuccess(deployed -> System.out.println("ready: node " + cluster.nodeId() + " serving channels at '" + address
            + "' in cluster '" + cluster.clusterName() + "' (" + cluster.members() + " members)"))
        .onFailure(failure -> {
          System.err.println("error: the clustered node did not start: " + failure.getMessage());
          cluster.close().onComplete(closed -> System.exit(1));
        });
  }

  private static void demo(Args args) {
    Demo.Settings settings;
    ClusterSetup.Options cluster;
    try {
      settings = new Demo.Settings(
          args.intOption("producers", 3, 1),
          args.intOption("workers", 4, 1),
          args.intOption("items", 60_000, 0),
          args.intOption("capacity", 100, 0));
      cluster = ClusterFlags.parse(args);
      if (cluster == null && args.options().containsKey("address")) {
        throw new IllegalArgumentException("option --address needs --" + ClusterFlags.CLUSTER);
      }
      if (cluster == null && args.flag("replicated")) {
        throw new IllegalArgumentException("option --replicated needs --" + ClusterFlags.CLUSTER);
      }
    } catch (IllegalArgumentException bad) {
      System.err.println("error: " + bad.getMessage());
      System.exit(2);
      return;
    }
    if (cluster == null) {
      Vertx vertx = Vertx.vertx();
      Future<Demo.Summary> run = new Demo(vertx, settings, System.out::println).run();
      run.onComplete(done -> endDemo(run, vertx.close())); // closed once the demo is over, not before
      return;
    }
    Demo.Target target = Demo.Target.cluster(args.options().getOrDefault("address", HostConfig.DEFAULT_ADDRESS),
        args.flag("replicated"));
    ClusterSetup setup = new ClusterSetup(cluster);
    Future<Demo.Summary> run = setup.start().compose(vertx -> {
      System.out.println("joined cluster '" + setup.clusterName() + "' as node " + setup.nodeId() + " ("
          + setup.members() + " members)");
      return new Demo(vertx, settings, System.out::println, target).run();
    });
    run.onComplete(done -> endDemo(run, setup.close()));
  }

  private static void endDemo(Future<Demo.Summary> run, Future<Void> closing) {
    run.onComplete(done -> closing.onComplete(closed -> {
      if (done.failed()) {
        System.err.println("error: the demo failed: " + done.cause().getMessage());
      }
      System.exit(done.succeeded() ? 0 : 1);
    }));
  }

  private static void bench(Args args) {
    BenchSettings settings;
    try {
      settings = benchSettings(args);
    } catch (IllegalArgumentException bad) {
      System.err.println("error: " + bad.getMessage());
      System.exit(2);
      return;
    }
    if (args.flag("cluster")) {
      clusterBench(settings);
      return;
    }
    BenchReport report;
    try {
      report = new Bench(settings, System.out::println).run();
    } catch (RuntimeException failure) {
      System.err.println("error: the bench failed: " + failure.getMessage());
      System.exit(1);
      return;
    }
    // a missed target is a measurement, not an error; an item lost or duplicated is a fault
    boolean exactlyOnce = report.phases().stream().skip(1).allMatch(phase -> phase.exactlyOnce());
    System.exit(exactlyOnce ? 0 : 1);
  }

  /** {@code bench --cluster}: exit code 0 whatever the targets say, 1 if it failed or an item was lost or duplicated. */
  private static void clusterBench(BenchSettings settings) {
    ClusterBenchReport report;
    try {
      report = new ClusterBench(settings, System.out::println).run();
    } catch (RuntimeException failure) {
      System.err.println("error: the clustered bench failed: " + failure);
      System.exit(1);
      return;
    }
    System.exit(report.exactlyOnce() ? 0 : 1);
  }

  static BenchSettings benchSettings(Args args) {
    BenchSettings defaults = args.flag("cluster") ? BenchSettings.clusterDefaults() : BenchSettings.defaults();
    return new BenchSettings(
        args.intOption("producers", defaults.producers(), 1),
        args.intOption("consumers", defaults.consumers(), 1),
        args.doubleOption("warmup", defaults.warmupSeconds(), 0, true),
        args.doubleOption("seconds", defaults.seconds(), 0, false),
        args.intOption("capacity", defaults.capacity(), 1),
        args.intOption("batch", defaults.batch(), 1),
        args.intOption("latency-takes", defaults.latencyTakes(), 1),
        args.intOption("rounds", defaults.rounds(), 1));
  }

  /** The file's JSON, or with no file the configuration embedded in the jar. */
  static JsonObject loadConfig(String file) throws IOException {
    if (file != null) {
      return new JsonObject(Files.readString(Path.of(file), StandardCharsets.UTF_8));
    }
    try (InputStream embedded = Main.class.getClassLoader().getResourceAsStream(DEFAULT_CONFIG_RESOURCE)) {
      if (embedded == null) {
        throw new IOException(DEFAULT_CONFIG_RESOURCE + " is not in the jar");
      }
      return new JsonObject(new String(embedded.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static Set<String> with(Set<String> common, String... own) {
    Set<String> all = new java.util.HashSet<>(common);
    all.addAll(List.of(own));
    return Set.copyOf(all);
  }

  private static void usage() {
    System.err.println("""
        usage:
          java -jar vertx-channels.jar [serve] [--conf FILE]   host channels (default: the embedded conf/config.json)
          java -jar vertx-channels.jar serve --cluster [CLUSTER OPTIONS] [--conf FILE]
                                               host channels as a node of a Hazelcast cluster; prints one line
                                               'ready: node ID serving channels at 'ADDRESS' in cluster 'NAME' (N members)'
          java -jar vertx-channels.jar demo [--producers N] [--workers N] [--items N] [--capacity N]
          java -jar vertx-channels.jar demo --cluster [CLUSTER OPTIONS] [--replicated] [--address channels] [--producers N] ...
                                               the demo against a cluster's hosts (it deploys none of its own)
          java -jar vertx-channels.jar bench [--producers N] [--consumers N] [--seconds S] [--warmup S] [--capacity N] [--batch N]
                                             [--latency-takes N] [--rounds N]
                                               measure the host over the event bus (defaults 2, 2, 5, 4, 1000, 100, 4, 3: about 1.5 min)
          java -jar vertx-channels.jar bench --cluster [--producers N] [--consumers N] [--seconds S] [--warmup S] [--capacity N]
                                             [--batch N] [--rounds N]
                                               two JVMs in one Hazelcast cluster on loopback: the channel against
                                               Hazelcast's IQueue (defaults 4, 4, 3, 2, 1000, 100, 3: about 2 min)
        cluster options:
          --cluster-config FILE        Hazelcast XML (default: the embedded conf/cluster.xml)
          --cluster-name NAME          the cluster's name (default: the file's, 'channels')
          --hazelcast-port PORT        Hazelcast's first port (default 5701, auto-increment)
          --cluster-members H[:P],...  the TCP-IP members (default 127.0.0.1 at ports near this node's)
          --cluster-host HOST          the event bus's host, as the other nodes reach it
          --cluster-port PORT          the event bus's port (default: any free one)
          --tls-key FILE --tls-cert FILE --tls-trust FILE
                                       TLS on the event bus (PEM), peers' certificates required
        """);
  }
}
