package org.mqbench.worker;

import org.apache.rocketmq.client.hook.SendMessageContext;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.remoting.CommandCustomHeader;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

/**
 * Drives SendAttempts' two hooks the way the client calls them, for test/unit/workload/java-send-attempts.test.ts
 * (compiled there against a built client version). Prints one line: the attempts taken for each case.
 * args[0]: the client's SendMessageRequestHeaderV2 class (its package moved between 4.9.x and 5.x).
 */
public final class SendAttemptsCheck {
  public static void main(String[] args) throws Exception {
    Message m = MessageIdentity.message("t", null, "run", 7, 9, 1.5, new byte[16]);
    Class<?> v2 = Class.forName(args[0]);
    Object header = v2.getConstructor().newInstance();
    v2.getMethod("setI", String.class).invoke(header, MessageDecoder.messageProperties2String(m.getProperties()));
    RemotingCommand request = RemotingCommand.createRequestCommand(310, (CommandCustomHeader) header);
    SendMessageContext context = new SendMessageContext();
    context.setMessage(m);

    SendAttempts s = new SendAttempts();
    // A sync send: three passes of the retry loop, the first refused before any request.
    s.sendMessageBefore(context);
    s.sendMessageBefore(context);
    s.doBeforeRequest("b", request);
    s.sendMessageBefore(context);
    s.doBeforeRequest("b", request);
    int sync = s.take(7, 9);
    // An async send: one pass, three requests (two internal re-sends).
    s.sendMessageBefore(context);
    for (int i = 0; i < 3; i++) s.doBeforeRequest("b", request);
    int async = s.take(7, 9);
    // Seen by both hooks once; then a send no hook saw; then a request of another code carrying the
    // same header, which is not a send.
    s.sendMessageBefore(context);
    s.doBeforeRequest("b", request);
    int once = s.take(7, 9);
    int unseen = s.take(7, 9);
    s.doBeforeRequest("b", RemotingCommand.createRequestCommand(11, (CommandCustomHeader) header));
    s.doBeforeRequest("b", RemotingCommand.createRequestCommand(11, (CommandCustomHeader) header));
    int pull = s.take(7, 9);
    System.out.println("sync=" + sync + " async=" + async + " once=" + once + " unseen=" + unseen + " pull=" + pull);
  }
}
