package dev.channels.app.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The second JVM of {@code bench --cluster}, spawned by the bench with its own classpath: joins the
 * bench's cluster, deploys the channel host (at {@link Bench#HOST_ADDRESS}) and the echo verticle,
 * each on its own event loop, answers {@link #USAGE_ADDRESS} with its CPU and allocation counters,
 * prints {@link #READY} and runs until its standard input ends (the bench closes it, or dies).
 *
 * <pre>
 * java -cp vertx-channels.jar dev.channels.app.bench.BenchNode CLUSTER_NAME PORT MEMBER
 * </pre>
 */
public final class BenchNode {

  /** The line the node prints once it serves, followed by its Hazelcast member's UUID. */
  static final String READY = "bench-node ready";
  /** Answers {@code {"server": "host"|"echo"}} with the node's {@link CpuMeter.Reading} for that server. */
  static final String USAGE_ADDRESS = "bench.node.usage";
  private static final long START_TIMEOUT_SECONDS = 60;

  private BenchNode() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: BenchNode CLUSTER_NAME PORT MEMBER");
      System.exit(2);
    }
    BenchCluster.Member member = BenchCluster.join(args[0], Integer.parseInt(args[1]), List.of(args[2]), 4)
        .await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    ObservedHost host = new ObservedHost();
    EchoVerticle echo = new EchoVerticle();
    member.vertx().deployVerticle(host, new DeploymentOptions().setConfig(new JsonObject().put("address", Bench.HOST_ADDRESS)))
        .await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    member.vertx().deployVerticle(echo).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    CpuMeter cpu = new CpuMeter(List.of(host.thread(), echo.thread()));
    member.vertx().eventBus().<JsonObject>consumer(USAGE_ADDRESS, request -> {
      Thread server = "echo".equals(request.body().getString("server")) ? echo.thread() : host.thread();
      request.reply(toJson(cpu.read(server)));
    }).completion().await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    System.out.println(READY + " " + member.hazelcast().getCluster().getLocalMember().getUuid()
        + " (host " + host.thread().getName() + ", echo " + echo.thread().getName() + ")");
    System.out.flush();
    waitForEndOf(System.in);
    member.vertx().close().await(10, TimeUnit.SECONDS);
    System.exit(0);
  }

  private static void waitForEndOf(InputStream in) {
    try {
      while (in.read() >= 0) {
        // nothing is said on stdin: its end is the signal
      }
    } catch (IOException closed) {
      // ended too
    }
  }

  static JsonObject toJson(CpuMeter.Reading reading) {
    return new JsonObject().put("processNanos", reading.processNanos()).put("serverNanos", reading.serverNanos())
        .put("allocatedBytes", reading.allocatedBytes()).put("gcMillis", reading.gcMillis());
  }

  static CpuMeter.Reading fromJson(JsonObject json) {
    return new CpuMeter.Reading(json.getLong("processNanos"), json.getLong("serverNanos"), json.getLong("allocatedBytes"),
        json.getLong("gcMillis"));
  }
}
