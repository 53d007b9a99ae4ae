package org.mqbench.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Typed reads of the start message's config, each failing as a config error naming the field. */
final class Json {
  private Json() {}

  static String str(JsonObject o, String key) {
    return need(o, key).getAsString();
  }

  static int integer(JsonObject o, String key) {
    return need(o, key).getAsInt();
  }

  static long u32(JsonObject o, String key) {
    long v = need(o, key).getAsLong();
    if (v < 0 || v > 0xffffffffL) throw new ConfigException(key + " must be an unsigned 32-bit integer, got " + v);
    return v;
  }

  static JsonObject obj(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? null : e.getAsJsonObject();
  }

  private static JsonElement need(JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) throw new ConfigException("config field '" + key + "' is missing");
    return e;
  }
}
