package dev.channels.impl.host;

import io.vertx.core.MultiMap;

/**
 * An item as the host buffers it: the put's body, untouched, and the headers that travel with it.
 *
 * @param headers {@code null} when the put carried none besides action and timeout
 */
record HostedItem(Object body, MultiMap headers) {
}
