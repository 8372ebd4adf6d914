package dev.channels.app;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the jobs {@code [first, last)} into the remote channel in batches ({@code putAll}: one
 * message each); a batch waits while the channel is full, which is the producer's backpressure.
 */
final class Producer extends VerticleBase {

  private static final int BATCH = 100;

  private final ChannelClientOptions client;
  private final String channelName;
  private final int producer;
  private final int last;
  private final Promise<Void> done = Promise.promise();
  private Channel<Job> channel;
  private int next;

  Producer(ChannelClientOptions client, String channelName, int producer, int first, int last) {
    this.client = client;
    this.channelName = channelName;
    this.producer = producer;
    this.next = first;
    this.last = last;
  }

  Future<Void> done() {
    return done.future();
  }

  @Override
  public Future<?> start() {
    channel = ChannelClient.create(vertx, client).channel(channelName, Job.class);
    putNextBatch();
    return Future.succeededFuture();
  }

  private void putNextBatch() {
    if (next == last) {
      done.tryComplete();
      return;
    }
    List<Job> batch = new ArrayList<>(BATCH);
    while (next < last && batch.size() < BATCH) {
      batch.add(new Job(next, producer, "job-" + next));
      next++;
    }
    channel.putAll(batch).onComplete(enqueued -> putNextBatch(), done::tryFail);
  }
}
