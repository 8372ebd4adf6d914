package dev.channels.app;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelOptions;
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

  /**
   * Where the demo's channel lives: a host of its own at {@code demo}, or the hosts of a cluster it
   * joined (at {@code channels} unless told otherwise), where a channel of a name of its own per run
   * keeps runs apart.
   */
  record Target(String address, String channel, boolean ownHost, boolean replicated) {

    static final Target OWN_HOST = new Target(ADDRESS, CHANNEL, true, false);

    /** @param replicated the channel is replicated: it survives its owner's death */
    static Target cluster(String address, boolean replicated) {
      return new Target(address, CHANNEL + "-" + Long.toString(System.currentTimeMillis(), 36), false, replicated);
    }
  }

  /** How the demo is sized. */
  record Settings(int producers, int workers, int items, int capacity) {
  }

  /** What the demo measured. {@code shares[i]} is worker i's count. */
  record Summary(long items, long[] shares, boolean eachItemTakenOnce, double itemsPerSecond) {
  }

  private final Vertx vertx;
  private final Settings settings;
  private final Consumer<String> out;
  private final Target target;

  Demo(Vertx vertx, Settings settings, Consumer<String> out) {
    this(vertx, settings, out, Target.OWN_HOST);
  }

  Demo(Vertx vertx, Settings settings, Consumer<String> out, Target target) {
    this.vertx = vertx;
    this.settings = settings;
    this.out = out;
    this.target = target;
  }

  Future<Summary> run() {
    ChannelClientOptions options = new ChannelClientOptions().setAddress(target.address());
    ChannelClient client = ChannelClient.create(vertx, options);
    Channel<Job> channel = client.channel(target.channel(), Job.class);
    Promise<JsonObject> joined = Promise.promise();
    MessageConsumer<JsonObject> joinedEvents = vertx.eventBus().consumer(client.joinedAddress(target.channel()),
        event -> joined.tryComplete(event.body()));
    List<Worker> workers = new ArrayList<>();
    List<Producer> producers = new ArrayList<>();
    long[] startedAt = new long[1];
    return joinedEvents.completion()
        .compose(registered -> target.ownHost()
            ? vertx.deployVerticle(new ChannelHostVerticle(),
                new DeploymentOptions().setConfig(new JsonObject().put("address", target.address())))
            : Future.succeededFuture())
        .compose(host -> client.create(target.channel(), new ChannelOptions().setCapacity(settings.capacity())
            .setReplicated(target.replicated())))
        .compose(created -> {
          out.accept((target.replicated() ? "replicated channel '" : "channel '") + target.channel() + "' (capacity "
              + settings.capacity() + ") of the "
              + (target.ownHost() ? "host" : "cluster's hosts") + " at '" + target.address()
              + "': " + settings.producers() + " producers x "
              + settings.items() / settings.producers() + " items, " + settings.workers() + " workers");
          startedAt[0] = System.nanoTime();
          List<Future<?>> deployed = new ArrayList<>();
          for (int i = 0; i < settings.workers(); i++) {
            Worker worker = new Worker(options, target.channel());
            workers.add(worker);
            deployed.add(vertx.deployVerticle(worker));
          }
          int perProducer = settings.items() / settings.producers();
          for (int i = 0; i < settings.producers(); i++) {
            int first = i * perProducer;
            int last = i == settings.producers() - 1 ? settings.items() : first + perProducer;
            Producer producer = new Producer(options, target.channel(), i, first, last);
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
    long repeats = total - seen.cardinality();
    long unmarked = workers.stream().mapToLong(Worker::unmarkedRepeats).sum();
    Summary summary = new Summary(status.getLong("taken"), shares, exactlyOnce, status.getLong("taken") / seconds);
    out.accept("joined: " + status.encode());
    StringBuilder line = new StringBuilder("workers' shares:");
    for (int i = 0; i < shares.length; i++) {
      line.append(String.format(" w%d=%,d", i, shares[i]));
    }
    out.accept(line.toString());
    out.accept(String.format("%,d items in %.2f s: %,.0f items/s; every item taken exactly once: %s",
        summary.items(), seconds, summary.itemsPerSecond(), exactlyOnce ? "yes"
            : seen.cardinality() == settings.items() && unmarked == 0
                ? "no, but every item taken, and the " + repeats + " taken again were redelivered (in flight at a failover)"
                : "NO"));
    return summary;
  }

}
