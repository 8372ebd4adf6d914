package dev.channels.examples;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Deploys a channel host and a verticle that puts jobs into one of its channels and consumes them
 * through {@code ChannelClient}; exits 0 if every job was taken exactly once and the channel
 * joined, 1 otherwise.
 */
public final class RemoteJobs {

  private static final int JOB_COUNT = 25;
  private static final long GIVE_UP_SECONDS = 30;

  private RemoteJobs() {
  }

  public static void main(String[] args) {
    List<Job> jobs = IntStream.rangeClosed(1, JOB_COUNT).mapToObj(id -> new Job(id, "image-" + id + ".png")).toList();
    JobsVerticle producerAndWorker = new JobsVerticle(jobs);

    Vertx vertx = Vertx.vertx();
    int exitCode;
    try {
      List<Job> worked = vertx.deployVerticle(new ChannelHostVerticle())        // the host: usually elsewhere
          .compose(host -> vertx.deployVerticle(producerAndWorker))
          .compose(deployed -> producerAndWorker.worked())
          .toCompletionStage().toCompletableFuture().get(GIVE_UP_SECONDS, TimeUnit.SECONDS);
      exitCode = check(jobs, worked);
    } catch (Exception e) {
      System.out.println("FAILED: " + e);
      e.printStackTrace(System.out);
      exitCode = 1;
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.out.println("Vert.x did not close: " + e);
      }
    }
    System.exit(exitCode);
  }

  private static int check(List<Job> jobs, List<Job> worked) {
    boolean eachOnce = worked.size() == jobs.size() && new HashSet<>(worked).equals(new HashSet<>(jobs));
    if (eachOnce) {
      System.out.println("OK: " + jobs.size() + " jobs put, " + worked.size() + " taken, each exactly once");
      return 0;
    }
    System.out.println("FAILED: put " + jobs + " but took " + worked);
    return 1;
  }
}
