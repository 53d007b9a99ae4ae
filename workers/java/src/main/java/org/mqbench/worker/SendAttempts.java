package org.mqbench.worker;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.hook.SendMessageContext;
import org.apache.rocketmq.client.hook.SendMessageHook;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

/**
 * How many attempts one send took, for the ledger's retries field and errors.retries, seen through
 * the official client's two public hooks (it returns no attempt count itself):
 *
 *  - SendMessageHook.sendMessageBefore runs once per pass of the client's own retry loop
 *    (DefaultMQProducerImpl.sendDefaultImpl: 1 + retryTimesWhenSendFailed passes for a sync send, and
 *    another broker after a non-OK status with retryAnotherBrokerWhenNotStoreOK), before the
 *    connection is made, so a pass that could not connect is counted. An async send makes one pass.
 *  - RPCHook.doBeforeRequest runs for every SEND_MESSAGE(_V2) request put on a channel, including
 *    the re-sends MQClientAPIImpl makes inside one async pass (retryTimesWhenSendAsyncFailed), which
 *    the first hook never sees.
 *
 * attempts = max(passes, requests): exact for sync sends (requests ≤ passes, so a sync producer needs
 * only the first hook); an async send makes one pass, so it needs only the second, and there an
 * internal re-send that failed to get a channel (connection refused before any request) is not
 * observable and is missed: async retries are a lower bound. Oneway sends make one pass, no retries. The message is told apart by our identity properties (MQB_PID,
 * MQB_SEQ), which both hooks can read; request headers are read by reflection because their class
 * moved package between 4.9.x and 5.x.
 */
final class SendAttempts implements SendMessageHook, RPCHook {
  private static final int SEND_MESSAGE = 10;
  private static final int SEND_MESSAGE_V2 = 310;
  private static final char NAME_END = 1;
  private static final char PAIR_END = 2;
  private final Map<Long, int[]> counts = new ConcurrentHashMap<>();
  private final Map<Class<?>, Method> propertiesGetter = new ConcurrentHashMap<>();

  static long key(long producerId, long seq) {
    return (producerId << 32) | seq;
  }

  /** The attempts recorded for a send that has ended (at least 1), forgetting it. */
  int take(long producerId, long seq) {
    int[] c = counts.remove(key(producerId, seq));
    return c == null ? 1 : Math.max(1, Math.max(c[0], c[1]));
  }

  private void count(String pid, String seq, int which) {
    if (pid == null || seq == null) return;
    try {
      long k = key(Long.parseLong(pid), Long.parseLong(seq));
      counts.compute(k, (x, c) -> {
        int[] n = c == null ? new int[2] : c;
        n[which]++;
        return n;
      });
    } catch (NumberFormatException e) {
      // not one of ours
    }
  }

  @Override
  public String hookName() {
    return "mqbench-send-attempts";
  }

  @Override
  public void sendMessageBefore(SendMessageContext context) {
    Message m = context.getMessage();
    if (m != null) count(m.getProperty(MessageIdentity.PID), m.getProperty(MessageIdentity.SEQ), 0);
  }

  @Override
  public void sendMessageAfter(SendMessageContext context) {
    // attempts are counted before; the outcome comes from the send's own result
  }

  @Override
  public void doBeforeRequest(String remoteAddr, RemotingCommand request) {
    if (request.getCode() != SEND_MESSAGE && request.getCode() != SEND_MESSAGE_V2) return;
    String props = properties(request.readCustomHeader());
    if (props != null) count(property(props, MessageIdentity.PID), property(props, MessageIdentity.SEQ), 1);
  }

  @Override
  public void doAfterResponse(String remoteAddr, RemotingCommand request, RemotingCommand response) {
    // nothing: a request counts as an attempt once it is handed to the channel
  }

  /** SendMessageRequestHeader.getProperties() or SendMessageRequestHeaderV2.getI(). */
  private String properties(Object header) {
    if (header == null) return null;
    Method m = propertiesGetter.computeIfAbsent(header.getClass(), (c) -> {
      for (String name : new String[] {"getProperties", "getI"}) {
        try {
          return c.getMethod(name);
        } catch (NoSuchMethodException e) {
          // try the next spelling
        }
      }
      return null;
    });
    try {
      return m == null ? null : (String) m.invoke(header);
    } catch (ReflectiveOperationException | ClassCastException e) {
      return null;
    }
  }

  /** One value of RocketMQ's property string (name \u0001 value \u0002 ...). */
  static String property(String props, String name) {
    for (int at = 0; at < props.length();) {
      int sep = props.indexOf(NAME_END, at);
      if (sep < 0) return null;
      int end = props.indexOf(PAIR_END, sep + 1);
      if (end < 0) end = props.length();
      if (sep - at == name.length() && props.startsWith(name, at)) return props.substring(sep + 1, end);
      at = end + 1;
    }
    return null;
  }
}
