package dev.channels;

import dev.channels.impl.host.ChannelHost;
import dev.channels.impl.host.HostConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Serves named channels over the event bus (protocol v1, see docs/protocol.md). Deploy it by
 * class or by the name {@code dev.channels.ChannelHostVerticle}, with the configuration described
 * by {@link HostConfig}; start completes once the registry and every configured channel are
 * registered, and fails with a message naming the key when the configuration is invalid.
 *
 * <pre>{@code
 * vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(
 *     new JsonObject().put("channels", new JsonArray().add(new JsonObject().put("name", "jobs").put("capacity", 100)))));
 * }</pre>
 */
public class ChannelHostVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(ChannelHostVerticle.class.getName());

  private ChannelHost host;

  @Override
  public Future<?> start() {
    HostConfig config = HostConfig.from(config());
    host = new ChannelHost(vertx, config);
    return host.start().onSuccess(started -> LOG.log(System.Logger.Level.INFO,
        "serving channels at ''{0}'' (configured: {1}; limits: {2} channels, {3} waiters per channel, {4} buffered items)",
        config.address(), config.channels().isEmpty() ? "none" : config.channels().keySet(),
        config.maxChannels(), config.maxWaiters(), config.maxQueuedItems()));
  }

  @Override
  public Future<?> stop() {
    return host == null ? Future.succeededFuture() : host.stop();
  }
}
