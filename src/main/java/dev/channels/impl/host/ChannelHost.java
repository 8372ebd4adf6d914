package dev.channels.impl.host;

import dev.channels.impl.cluster.ClusterDirectory;
import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.RegistryRequest;
import dev.channels.impl.protocol.RequestException;
import dev.channels.impl.protocol.StatusJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * A host's registry at {@code <address>}: decodes each request once, asks the {@link
 * ChannelDirectory}, and encodes its answer once. Confined to the host verticle's context. On a
 * clustered Vert.x the directory is the cluster's ({@link ClusterDirectory}: one owner per channel
 * across the nodes), else the channels of this host ({@link LocalDirectory}).
 */
public final class ChannelHost {

  private static final System.Logger LOG = System.getLogger(ChannelHost.class.getName());

  private final Vertx vertx;
  private final HostConfig config;
  private final ChannelDirectory directory;
  private MessageConsumer<Object> registry;
  private boolean stopping;

  public ChannelHost(Vertx vertx, HostConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.directory = vertx.isClustered() ? new ClusterDirectory(vertx, config) : new LocalDirectory(vertx, config);
  }

  /** Serves the directory's channels, then the registry; completes once all are registered. */
  public Future<Void> start() {
    registry = vertx.eventBus().consumer(config.address(), this::handle);
    return Future.all(registry.completion(), directory.start()).mapEmpty();
  }

  /**
   * Stops: the registry refuses requests UNAVAILABLE, the directory stops serving its channels
   * (they are kept for the next host: see {@link LocalDirectory#stop}), and the registry's address
   * is unregistered.
   */
  public Future<Void> stop() {
    stopping = true;
    return directory.stop().eventually(() -> registry == null ? Future.succeededFuture()
        : Registrations.unregister(registry, Failure.UNAVAILABLE, unavailable()));
  }

  private void handle(Message<Object> message) {
    if (stopping) {
      Failure.UNAVAILABLE.fail(message, unavailable());
      return;
    }
    answer(message, directory, "registry at '" + config.address() + "'");
  }

  /**
   * Answers one registry request from {@code directory}: decoded once (or refused), applied, and
   * its outcome encoded once; a refusal goes back with its code, anything else as {@code INTERNAL},
   * logged with {@code where}.
   */
  public static void answer(Message<Object> message, ChannelDirectory directory, String where) {
    RegistryRequest request;
    try {
      request = RegistryRequest.decode(message);
    } catch (RequestException refused) {
      refused.failure().fail(message, refused.detail());
      return;
    }
    Future<JsonObject> reply = switch (request.action()) {
      case CREATE -> directory.create(request);
      case DELETE -> directory.delete(request.name()).map(discarded -> StatusJson.deleted(request.name(), discarded));
      case LIST -> directory.list(request.name()).map(StatusJson::list);
      default -> throw new IllegalStateException("not a registry action: " + request.action());
    };
    reply.onComplete(message::reply, failure -> {
      if (failure instanceof RequestException refused) {
        refused.failure().fail(message, refused.detail());
      } else {
        LOG.log(System.Logger.Level.ERROR, where + ": the " + request.action().wireName() + " failed", failure);
        Failure.INTERNAL.fail(message, failure.getMessage());
      }
    });
  }

  private String unavailable() {
    return "registry: the host at '" + config.address() + "' is stopping; try again";
  }
}
