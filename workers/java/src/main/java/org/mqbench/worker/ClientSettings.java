package org.mqbench.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The client's own settings, in RocketMQ's spelling, handed straight to its setters
 * (setSendMsgTimeout, setConsumeThreadMin, ...). Only the keys mqbench documents are accepted: an
 * unknown one is a config error naming it, never silently ignored. Enum settings (consumeFromWhere,
 * messageModel) are set by name through the setter's own parameter type, because MessageModel lives
 * in different packages in 4.x and 5.x.
 */
final class ClientSettings {
  static final List<String> PRODUCER_KEYS = Arrays.asList("sendMsgTimeout", "retryTimesWhenSendFailed",
      "retryTimesWhenSendAsyncFailed", "retryAnotherBrokerWhenNotStoreOK", "compressMsgBodyOverHowmuch", "maxMessageSize");
  static final List<String> CONSUMER_KEYS = Arrays.asList("consumeThreadMin", "consumeThreadMax", "consumeMessageBatchMaxSize",
      "pullBatchSize", "maxReconsumeTimes", "consumeFromWhere", "messageModel");

  private ClientSettings() {}

  static void apply(Object client, JsonObject settings, List<String> allowed, String role) {
    if (settings == null) return;
    for (Map.Entry<String, JsonElement> e : settings.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw new ConfigException(role + " setting '" + e.getKey() + "' is unknown; expected one of " + String.join(", ", allowed));
      }
      set(client, e.getKey(), e.getValue(), role);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void set(Object client, String key, JsonElement value, String role) {
    String setter = "set" + Character.toUpperCase(key.charAt(0)) + key.substring(1);
    Method m = Arrays.stream(client.getClass().getMethods())
        .filter((x) -> x.getName().equals(setter) && x.getParameterCount() == 1).findFirst()
        .orElseThrow(() -> new ConfigException(role + " setting '" + key + "' has no setter in this client version"));
    Class<?> type = m.getParameterTypes()[0];
    try {
      Object arg;
      if (type == int.class || type == Integer.class) arg = value.getAsInt();
      else if (type == long.class || type == Long.class) arg = value.getAsLong();
      else if (type == boolean.class || type == Boolean.class) arg = value.getAsBoolean();
      else if (type.isEnum()) arg = Enum.valueOf((Class<Enum>) type, value.getAsString());
      else arg = value.getAsString();
      m.invoke(client, arg);
    } catch (ReflectiveOperationException | RuntimeException ex) {
      throw new ConfigException(role + " setting '" + key + "': cannot set " + value + " (" + ex + ")");
    }
  }
}
