package dev.channels.examples;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;

/**
 * A producer and a worker on one channel of a host: creates the channel, puts every job and closes
 * it (no more work will ever appear), consumes until the channel ends, then joins it. {@link
 * #worked()} completes with the jobs the worker took, in the order it took them.
 */
final class JobsVerticle extends VerticleBase {

  static final String CHANNEL = "jobs";
  static final int CAPACITY = 10;

  private final List<Job> jobs;
  private final List<Job> worked = new ArrayList<>();
  private final Promise<List<Job>> done = Promise.promise();

  JobsVerticle(List<Job> jobs) {
    this.jobs = List.copyOf(jobs);
  }

  /** The jobs taken, once the channel is closed and drained; fails with the first failure. */
  Future<List<Job>> worked() {
    return done.future();
  }

  @Override
  public Future<?> start() {
    ChannelClient client = ChannelClient.create(vertx);
    client.create(CHANNEL, CAPACITY)
        .compose(status -> {
          System.out.println("created channel '" + status.name() + "' (capacity " + status.capacity() + ")");
          Channel<Job> channel = client.channel(CHANNEL, Job.class);

          // the producer: putAll waits for room while the channel is full (capacity below the job count)
          Future<Void> produced = channel.putAll(jobs).compose(enqueued -> {
            System.out.println("put " + enqueued + " jobs; closing the channel");
            return channel.close();
          });

          // the worker: every job, one at a time, until the channel is closed and drained
          Future<Void> consumed = channel.consume(job -> {
            System.out.println("working on job " + job.id() + ": " + job.file());
            worked.add(job);
            return Future.succeededFuture();
          });

          return Future.all(produced, consumed)
              .compose(all -> channel.join())
              .compose(joined -> channel.status());
        })
        .onSuccess(status -> System.out.println("joined: channel '" + status.name() + "' closed and drained ("
            + status.totalPut() + " put, " + status.totalTaken() + " taken, " + status.redelivered() + " redelivered)"))
        .map(status -> List.copyOf(worked))
        .onComplete(done);
    // the work goes on after the deployment; its outcome is worked()
    return Future.succeededFuture();
  }
}
