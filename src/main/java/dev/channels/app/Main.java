package dev.channels.app;

import dev.channels.ChannelHostVerticle;
import dev.channels.app.bench.Bench;
import dev.channels.app.bench.BenchReport;
import dev.channels.app.bench.BenchSettings;
import dev.channels.app.bench.ClusterBench;
import dev.channels.app.bench.ClusterBenchReport;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The command line: {@code serve} (default) runs a node hosting channels; {@code demo} shows the
 * main job end to end in one process; {@code bench} measures the host over the event bus.
 *
 * <pre>
 * java -jar target/vertx-channels.jar [serve] [--conf FILE]
 * java -jar target/vertx-channels.jar demo [--producers 3] [--workers 4] [--items 60000] [--capacity 100]
 * java -jar target/vertx-channels.jar bench [--producers 2] [--consumers 2] [--seconds 5] [--warmup 4] [--capacity 1000] [--batch 100] [--latency-takes 4] [--rounds 3]
 * java -jar target/vertx-channels.jar bench --cluster [--producers 4] [--consumers 4] [--seconds 3] [--warmup 2] [--capacity 1000] [--batch 100] [--rounds 3]
 * </pre>
 */
public final class Main {

  static final String DEFAULT_CONFIG_RESOURCE = "conf/config.json";

  static final Map<String, Set<String>> OPTIONS = Map.of(
      "serve", Set.of("conf"),
      "demo", Set.of("producers", "workers", "items", "capacity"),
      "bench", Set.of("producers", "consumers", "seconds", "warmup", "capacity", "batch", "latency-takes", "rounds", "cluster"),
      "help", Set.of());

  /** Options that take no value. */
  static final Set<String> FLAGS = Set.of("cluster");

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
    JsonObject config;
    try {
      config = loadConfig(args.options().get("conf"));
    } catch (IOException | RuntimeException unreadable) {
      System.err.println("error: cannot read configuration: " + unreadable.getMessage());
      System.exit(2);
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

  private static void demo(Args args) {
    Demo.Settings settings;
    try {
      settings = new Demo.Settings(
          args.intOption("producers", 3, 1),
          args.intOption("workers", 4, 1),
          args.intOption("items", 60_000, 0),
          args.intOption("capacity", 100, 0));
    } catch (IllegalArgumentException bad) {
      System.err.println("error: " + bad.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    Future<Demo.Summary> run = new Demo(vertx, settings, System.out::println).run();
    run.onComplete(done -> vertx.close().onComplete(closed -> {
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

  private static void usage() {
    System.err.println("""
        usage:
          java -jar vertx-channels.jar [serve] [--conf FILE]   host channels (default: the embedded conf/config.json)
          java -jar vertx-channels.jar demo [--producers N] [--workers N] [--items N] [--capacity N]
          java -jar vertx-channels.jar bench [--producers N] [--consumers N] [--seconds S] [--warmup S] [--capacity N] [--batch N]
                                             [--latency-takes N] [--rounds N]
                                               measure the host over the event bus (defaults 2, 2, 5, 4, 1000, 100, 4, 3: about 1.5 min)
          java -jar vertx-channels.jar bench --cluster [--producers N] [--consumers N] [--seconds S] [--warmup S] [--capacity N]
                                             [--batch N] [--rounds N]
                                               two JVMs in one Hazelcast cluster on loopback: the channel against
                                               Hazelcast's IQueue (defaults 4, 4, 3, 2, 1000, 100, 3: about 2 min)
        """);
  }
}
