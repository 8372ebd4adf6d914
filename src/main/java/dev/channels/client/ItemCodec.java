package dev.channels.client;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** How a remote channel's items travel: as the event bus carries them, or mapped to JSON with Jackson. */
interface ItemCodec<T> {

  /** The types the event bus carries as they are (its default codecs). */
  Set<Class<?>> EVENT_BUS_TYPES = Set.of(String.class, Buffer.class, JsonObject.class, JsonArray.class,
      byte[].class, Integer.class, Long.class, Short.class, Byte.class, Float.class, Double.class,
      Boolean.class, Character.class);

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

  /** Items of {@code type}: unchanged if the event bus carries the type, else a JSON object mapped with Jackson. */
  static <T> ItemCodec<T> of(Class<T> type) {
    if (EVENT_BUS_TYPES.contains(type)) {
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
