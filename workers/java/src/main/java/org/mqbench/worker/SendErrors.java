package org.mqbench.worker;

import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.apache.rocketmq.remoting.exception.RemotingSendRequestException;
import org.apache.rocketmq.remoting.exception.RemotingTimeoutException;
import org.apache.rocketmq.remoting.exception.RemotingTooMuchRequestException;

/**
 * A failed send as src/workload/send-outcome.ts sees it: timeouts and connection failures apart from
 * broker refusals, because after a timeout the broker may well have stored the message. The Java
 * client wraps the last attempt's failure (MQClientException "Send [n] times, still failed"), so the
 * cause chain is searched for the first telling exception.
 */
final class SendErrors {
  enum Kind { TIMEOUT, CONNECTION, BROKER }

  /** Ledger outcome codes (producer-ledger.ts SendOutcome). */
  static final int ERROR_TIMEOUT = 4;
  static final int ERROR_CONNECTION = 5;
  static final int ERROR_BROKER = 6;

  static final class Classified {
    final Kind kind;
    final int outcome;
    final Integer brokerCode;
    final String brokerErrorName;

    Classified(Kind kind, int outcome, Integer brokerCode, String brokerErrorName) {
      this.kind = kind;
      this.outcome = outcome;
      this.brokerCode = brokerCode;
      this.brokerErrorName = brokerErrorName;
    }
  }

  static Classified classify(Throwable err) {
    Integer clientCode = null;
    for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RemotingTimeoutException) return new Classified(Kind.TIMEOUT, ERROR_TIMEOUT, null, null);
      // 5.x: the whole send (all retries) ran past sendMsgTimeout ("sendDefaultImpl call timeout").
      if (t instanceof RemotingTooMuchRequestException && String.valueOf(t.getMessage()).contains("timeout")) {
        return new Classified(Kind.TIMEOUT, ERROR_TIMEOUT, null, null);
      }
      if (t instanceof RemotingConnectException || t instanceof RemotingSendRequestException) {
        return new Classified(Kind.CONNECTION, ERROR_CONNECTION, null, null);
      }
      if (t instanceof MQBrokerException) {
        int code = ((MQBrokerException) t).getResponseCode();
        return new Classified(Kind.BROKER, ERROR_BROKER, code, codeName(code));
      }
      if (t instanceof MQClientException && clientCode == null && ((MQClientException) t).getResponseCode() > 0) {
        clientCode = ((MQClientException) t).getResponseCode();
      }
    }
    if (clientCode != null) return new Classified(Kind.BROKER, ERROR_BROKER, clientCode, codeName(clientCode));
    // A client-side refusal (no route, not started, illegal message): not a broker reply, not the network.
    return new Classified(Kind.BROKER, ERROR_BROKER, null, "CLIENT_" + err.getClass().getSimpleName());
  }

  /** The names of src/protocol/response-code.ts for the codes a send can meet. */
  static String codeName(int code) {
    switch (code) {
      case 1: return "SYSTEM_ERROR";
      case 2: return "SYSTEM_BUSY";
      case 3: return "REQUEST_CODE_NOT_SUPPORTED";
      case 10: return "FLUSH_DISK_TIMEOUT";
      case 11: return "SLAVE_NOT_AVAILABLE";
      case 12: return "FLUSH_SLAVE_TIMEOUT";
      case 13: return "MESSAGE_ILLEGAL";
      case 14: return "SERVICE_NOT_AVAILABLE";
      case 16: return "NO_PERMISSION";
      case 17: return "TOPIC_NOT_EXIST";
      default: return "CODE_" + code;
    }
  }
}
