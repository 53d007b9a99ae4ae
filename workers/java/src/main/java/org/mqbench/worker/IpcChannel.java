package org.mqbench.worker;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;

/**
 * Node's IPC channel seen from Java. The orchestrator spawns every worker with stdio[3] = 'ipc': a
 * socket pair whose child end is the fd in NODE_CHANNEL_FD, carrying one JSON object per line in
 * each direction (serialization 'json'). Speaking it directly keeps one control protocol for both
 * clients, and the spawned process is the JVM itself, so a kill by pid kills the client.
 */
final class IpcChannel {
  private static final Gson GSON = new Gson();
  private final BufferedReader in;
  private final OutputStream out;

  private IpcChannel(FileDescriptor fd) {
    in = new BufferedReader(new InputStreamReader(new FileInputStream(fd), StandardCharsets.UTF_8));
    out = new FileOutputStream(fd);
  }

  /** Needs --add-opens java.base/java.io=ALL-UNNAMED: FileDescriptor has no public constructor from an int. */
  static IpcChannel fromEnvironment() {
    String env = System.getenv("NODE_CHANNEL_FD");
    if (env == null) throw new ConfigException("NODE_CHANNEL_FD is not set: spawn this worker with an IPC channel (stdio[3] = 'ipc')");
    try {
      FileDescriptor fd = new FileDescriptor();
      Field f = FileDescriptor.class.getDeclaredField("fd");
      f.setAccessible(true);
      f.setInt(fd, Integer.parseInt(env.trim()));
      return new IpcChannel(fd);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ConfigException("cannot open the IPC channel fd " + env + " (run the JVM with --add-opens java.base/java.io=ALL-UNNAMED): " + e);
    }
  }

  /** The next message, or null once the orchestrator closed the channel (it died or disconnected). */
  JsonObject read() throws IOException {
    for (;;) {
      String line = in.readLine();
      if (line == null) return null;
      if (line.isEmpty()) continue;
      return GSON.fromJson(line, JsonObject.class);
    }
  }

  /** Whole lines only: the tick thread, the callbacks and the main thread all send. */
  synchronized void send(JsonObject message) {
    try {
      out.write((GSON.toJson(message) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      // The orchestrator is gone; the read loop sees EOF and stops the worker.
    }
  }
}
