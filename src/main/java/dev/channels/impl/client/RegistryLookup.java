package dev.channels.impl.client;

import dev.channels.ChannelUnavailableException;
import dev.channels.impl.protocol.Action;
import dev.channels.impl.protocol.RegistryRequest;
import dev.channels.impl.protocol.RequestHeaders;
import dev.channels.impl.protocol.StatusJson;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Nobody serves a channel's address, and the client did not know it unavailable: the registry,
 * asked to list that channel, tells "not served for now" from "does not exist" (docs/protocol.md,
 * "Nobody at the channel's address"). Used by every request and by streaming consumers' registrations.
 */
final class RegistryLookup {

  /** What the registry says. */
  enum Verdict {
    /**
     * Listed: its address is being registered (a create or a restart just now, or a channel lost
     * with its owner's node and created again, whose address has not reached this node yet).
     */
    LISTED,
    /**
     * Not served for now: the registry says so (its host is stopping; in a cluster, the host of the
     * channel's owner node does not answer), or nobody serves the registry either while this client
     * has seen the channel served (its host was undeployed, and the next is not deployed yet).
     */
    NOT_SERVED_FOR_NOW,
    /** Not listed, or nobody serves the registry and this client never saw the channel served. */
    NOT_FOUND
  }

  private RegistryLookup() {
  }

  /** Asks the registry at {@code registryAddress} of the channel {@code known} names; completes on the caller's context. */
  static Future<Verdict> ask(EventBus bus, String registryAddress, KnownState known, long timeoutMs) {
    String name = known.name();
    return bus.<JsonObject>request(registryAddress, RegistryRequest.listBody(name),
            RequestHeaders.options(Action.LIST).setSendTimeout(timeoutMs))
        .transform(list -> {
          if (list.succeeded()) {
            boolean listed = StatusJson.channels(list.result().body()).stream()
                .anyMatch(status -> name.equals(status.getString(StatusJson.NAME)));
            return Future.succeededFuture(listed ? Verdict.LISTED : Verdict.NOT_FOUND);
          }
          Throwable failure = list.cause();
          boolean notForNow = RemoteFailures.isUnavailable(failure)
              || RemoteFailures.isNoHandlers(failure) && known.servedOnce();
          return Future.succeededFuture(notForNow ? Verdict.NOT_SERVED_FOR_NOW : Verdict.NOT_FOUND);
        });
  }

  /**
   * The failure for {@link Verdict#NOT_FOUND} after {@code nobody} (a {@code NO_HANDLERS}): the
   * channel was lost with its owner's node, if the client was told so, else it does not exist.
   */
  static Throwable notFound(KnownState known, Throwable nobody, String where, String address, String operation) {
    ChannelUnavailableException lost = known.lostFailure();
    return lost != null ? lost : RemoteFailures.of(nobody, where, address, operation, 0);
  }
}
