package dev.channels.app;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelHostVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * The main job end to end in one process: a host, one channel, producer verticles putting jobs in
 * batches through the client, worker verticles consuming them (streaming consumers) until the
 * channel ends. The producers' end closes the channel; the joined event ends the demo with a
 * summary.
 */
final class Demo {

  static final String ADDRESS = "demo";
  static final String CHANNEL = "work";

  /** How the demo is sized. */
  record Settings(int producers, int workers, int items, int capacity) {
  }

  /** What the demo measured. {@code shares[i]} is worker i's count. */
  record Summary(long items, long[] shares, boolean eachItemTakenOnce, double itemsPerSecond) {
  }

  private final Vertx vertx;
  private final Settings settings;
  private final Consumer<String> out;

  Demo(Vertx vertx, Settings settings, Consumer<String> out) {
    this.vertx = vertx;
    this.settings = settings;
    this.out = out;
  }

  Future<Summary> run() {
    ChannelClientOptions options = new ChannelClientOptions().setAddress(ADDRESS);
    ChannelClient client = ChannelClient.create(vertx, options);
    Channel<Job> channel = client.channel(CHANNEL, Job.class);
    Promise<JsonObject> joined = Promise.promise();
    MessageConsumer<JsonObject> joinedEvents = vertx.eventBus().consumer(client.joinedAddress(CHANNEL),
        event -> joined.tryComplete(event.body()));
    List<Worker> workers = new ArrayList<>();
    List<Producer> producers = new ArrayList<>();
    long[] startedAt = new long[1];
    return joinedEvents.completion()
        .compose(registered -> vertx.deployVerticle(new ChannelHostVerticle(),
            new DeploymentOptions().setConfig(new JsonObject().put("address", ADDRESS))))
        .compose(host -> client.create(CHANNEL, settings.capacity()))
        .compose(created -> {
          out.accept("channel '" + CHANNEL + "' (capacity " + settings.capacity() + ") of the host at '" + ADDRESS
              + "': " + settings.producers() + " producers x "
              + settings.items() / settings.producers() + " items, " + settings.workers() + " workers");
          startedAt[0] = System.nanoTime();
          List<Future<?>> deployed = new ArrayList<>();
          for (int i = 0; i < settings.workers(); i++) {
            Worker worker = new Worker(options);
            workers.add(worker);
            deployed.add(vertx.deployVerticle(worker));
          }
          int perProducer = settings.items() / settings.producers();
          for (int i = 0; i < settings.producers(); i++) {
            int first = i * perProducer;
            int last = i == settings.producers() - 1 ? settings.items() : first + perProducer;
            Producer producer = new Producer(options, i, first, last);
            producers.add(producer);
            deployed.add(vertx.deployVerticle(producer));
          }
          return Future.all(deployed);
        })
        .compose(deployed -> {
          long progress = vertx.setPeriodic(500, tick -> reportProgress(channel));
          Future.all(producers.stream().map(Producer::done).toList())
              .compose(done -> {
                out.accept("producers done: closing the channel; the workers drain it");
                return channel.close();
              })
              .onFailure(joined::tryFail);
          return joined.future()
              .compose(status -> Future.all(workers.stream().map(Worker::done).toList()).map(status))
              .eventually(() -> {
                vertx.cancelTimer(progress);
                return joinedEvents.unregister();
              });
        })
        .map(status -> summarize(status, workers, startedAt[0]));
  }

  private void reportProgress(Channel<Job> channel) {
    channel.status().onSuccess(status -> out.accept(String.format(
        "  put %,9d  taken %,9d  buffered %4d  in flight %4d  waiting putters %3d  takers %3d",
        status.totalPut(), status.totalTaken(), status.size(), status.inFlight(),
        status.waitingPutters(), status.waitingTakers())));
  }

  private Summary summarize(JsonObject status, List<Worker> workers, long startedAt) {
    double seconds = (System.nanoTime() - startedAt) / 1e9;
    long[] shares = workers.stream().mapToLong(Worker::taken).toArray();
    BitSet seen = new BitSet(settings.items());
    long total = 0;
    for (Worker worker : workers) {
      seen.or(worker.ids());
      total += worker.taken();
    }
    boolean exactlyOnce = total == settings.items() && seen.cardinality() == settings.items();
    Summary summary = new Summary(status.getLong("taken"), shares, exactlyOnce, status.getLong("taken") / seconds);
    out.accept("joined: " + status.encode());
    StringBuilder line = new StringBuilder("workers' shares:");
    for (int i = 0; i < shares.length; i++) {
      line.append(String.format(" w%d=%,d", i, shares[i]));
    }
    out.accept(line.toString());
    out.accept(String.format("%,d items in %.2f s: %,.0f items/s; every item taken exactly once: %s",
        summary.items(), seconds, summary.itemsPerSecond(), exactlyOnce ? "yes" : "NO"));
    return summary;
  }

}
