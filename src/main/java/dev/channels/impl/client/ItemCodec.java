package dev.channels.impl.client;

import dev.channels.impl.protocol.Items;
import io.vertx.core.json.JsonObject;

/** How a remote channel's items travel: as the event bus carries them, or mapped to JSON with Jackson. */
interface ItemCodec<T> {

  /** The message body for an item; may throw {@link IllegalArgumentException} if it cannot be mapped. */
  Object encode(T item);

  /** The item for a message body; throws {@link IllegalStateException} if it cannot be mapped. */
  T decode(Object body);

  /** Items as the event bus carries them, unchanged both ways. */
  @SuppressWarnings("unchecked")
  static <T> ItemCodec<T> asIs() {
    return new ItemCodec<>() {
      @Override
      public Object encode(T item) {
        return item;
      }

      @Override
      public T decode(Object body) {
        return (T) body;
      }
    };
  }

  /** Items of {@code type}: unchanged if it is an item type ({@link Items}), else a JSON object mapped with Jackson. */
  static <T> ItemCodec<T> of(Class<T> type) {
    if (Items.isItemType(type)) {
      return new ItemCodec<>() {
        @Override
        public Object encode(T item) {
          return item;
        }

        @Override
        public T decode(Object body) {
          if (!type.isInstance(body)) {
            throw new IllegalStateException("expected a " + type.getSimpleName() + " item, got "
                + (body == null ? "null" : "a " + body.getClass().getSimpleName()));
          }
          return type.cast(body);
        }
      };
    }
    return new ItemCodec<>() {
      @Override
      public Object encode(T item) {
        return JsonObject.mapFrom(item);
      }

      @Override
      public T decode(Object body) {
        if (!(body instanceof JsonObject json)) {
          throw new IllegalStateException("expected a JSON object to map to " + type.getSimpleName() + ", got "
              + (body == null ? "null" : "a " + body.getClass().getSimpleName()));
        }
        try {
          return json.mapTo(type);
        } catch (IllegalArgumentException unmappable) {
          throw new IllegalStateException("cannot map the item to " + type.getSimpleName() + ": " + unmappable.getMessage());
        }
      }
    };
  }
}
